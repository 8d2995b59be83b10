// Beslecht — our own small script. Every page works without it; it only moves the focus to
// a form's error summary, warns before the session ends (WCAG 2.2.1) and lets the user stay
// signed in without leaving the page, so nothing typed is lost. No third-party code.
(function () {
  "use strict";
  // A form that came back with errors: the focus goes to the summary, which names each
  // field and links to it, so a screen reader reads it first (the page works without this).
  var errors = document.querySelector(".error-summary");
  if (errors) { errors.focus(); }
})();

(function () {
  "use strict";
  var note = document.querySelector("[data-session-ends]");
  if (!note || !window.fetch) { return; }
  var WARN_MS = 5 * 60 * 1000;
  var form = note.querySelector("form");
  var alertBox = document.createElement("p");
  alertBox.className = "session-note__alert";
  alertBox.setAttribute("role", "alert");
  alertBox.hidden = true;
  note.insertBefore(alertBox, form);
  var shown = "";

  function ends() { return Date.parse(note.getAttribute("data-session-ends")); }

  function say(state, text) {
    if (shown === state) { return; }
    shown = state;
    alertBox.textContent = text;
    alertBox.hidden = state === "";
  }

  function check() {
    var left = ends() - Date.now();
    if (left <= 0) {
      say("ended", "Uw sessie is verlopen. Log opnieuw in om verder te gaan; wat u hier nog niet hebt opgeslagen, kopieert u eerst.");
      form.hidden = true;
    } else if (left <= WARN_MS) {
      var minutes = Math.max(1, Math.ceil(left / 60000));
      say("warn" + minutes, "Let op: uw sessie verloopt over " + minutes + (minutes === 1 ? " minuut" : " minuten") +
        ". Kies \u2018Ingelogd blijven\u2019 om door te gaan; wat u hebt ingevuld blijft staan.");
    } else {
      say("", "");
    }
  }

  // Staying signed in without leaving the page: the same form, sent in the background.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" })
      .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-session-ends]");
        if (!fresh) { return Promise.reject("no session"); }
        note.setAttribute("data-session-ends", fresh.getAttribute("data-session-ends"));
        note.querySelector("time").textContent = fresh.querySelector("time").textContent;
        check();
      })
      .catch(function () { form.submit(); });
  });

  check();
  window.setInterval(check, 1000);
})();
