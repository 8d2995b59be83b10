//! A real browser for the tests: Debian's Chromium, headless, driven over WebDriver by
//! chromedriver, with axe-core (from npm, `tests/browser`) loaded into each page to check the
//! WCAG 2.1 A and AA rules.

use std::{
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

pub struct Chrome {
    driver: Child,
    pub client: Client,
    axe: String,
    _profile: tempfile::TempDir,
}

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

impl Chrome {
    pub async fn start() -> Chrome {
        for (path, package) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")] {
            assert!(
                std::path::Path::new(path).exists(),
                "{path} is missing: install Debian's {package} (tests/run does)"
            );
        }
        let axe_path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/browser/node_modules/axe-core/axe.min.js"
        );
        let axe = std::fs::read_to_string(axe_path)
            .unwrap_or_else(|_| panic!("{axe_path} is missing: run `npm ci --prefix tests/browser` (tests/run does)"));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().unwrap();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,1024",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            }),
        );
        let started = Instant::now();
        let client = loop {
            // Plain HTTP to chromedriver on this machine: no TLS stack needed.
            let http = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(http)
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(c) => break c,
                Err(e) => {
                    assert!(started.elapsed() < Duration::from_secs(60), "chromedriver: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        };
        Chrome {
            driver,
            client,
            axe,
            _profile: profile,
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// The WCAG 2.1 A and AA violations axe-core finds on the current page.
    pub async fn violations(&self) -> Vec<String> {
        self.client
            .execute(&format!("{};return 1;", self.axe), vec![])
            .await
            .unwrap();
        let found = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                    .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                    .catch(e => done(['axe failed: ' + e]));",
                vec![],
            )
            .await
            .unwrap();
        serde_json::from_value(found).unwrap()
    }

    /// Asserts that the current page has no WCAG 2.1 A or AA violations, and that every link
    /// and button in the header (the main menu among them) contrasts at least 4.5:1 with what
    /// is behind it — axe reports a link the colour of its background only as "incomplete".
    pub async fn accessible(&self, what: &str) {
        let v = self.violations().await;
        assert!(v.is_empty(), "{what}: {v:#?}");
        let low = self.low_contrast("header a, header button").await;
        assert!(low.is_empty(), "{what}: header controls under 4.5:1: {low:?}");
    }

    /// Asserts that a form that came back with errors has the focus on its error summary,
    /// and that each entry of the summary links to a field on the page.
    pub async fn errors_summarised(&self, what: &str) {
        let v: Value = self
            .client
            .execute(
                "const s = document.querySelector('.error-summary');
                 if (!s) return 'no error summary';
                 if (document.activeElement !== s) return 'the focus is on ' + document.activeElement.outerHTML.slice(0, 80);
                 const bad = [...s.querySelectorAll('a')].filter(a => !document.getElementById(a.hash.slice(1)));
                 return bad.length ? 'links to nothing: ' + bad.map(a => a.hash).join(' ') : '';",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(v.as_str(), Some(""), "{what}");
    }

    /// Asserts that the page does not scroll sideways in a window `width` CSS pixels wide
    /// (WCAG 1.4.10: at 320 px nothing but tables and images may need two dimensions).
    pub async fn fits(&self, what: &str, width: u32) {
        self.client.set_window_size(width, 900).await.unwrap();
        let v: Value = self
            .client
            .execute(
                "const d = document.documentElement;
                 return [window.innerWidth, d.scrollWidth, d.clientWidth];",
                vec![],
            )
            .await
            .unwrap();
        self.client.set_window_size(1280, 1024).await.unwrap();
        let [inner, scroll, client]: [u64; 3] = serde_json::from_value(v).unwrap();
        assert!(
            inner <= u64::from(width) + 20,
            "{what}: the window is {inner} px wide, not {width}"
        );
        assert!(
            scroll <= client,
            "{what}: scrolls sideways at {width} px ({scroll} > {client})"
        );
    }

    /// How high the page is, in CSS pixels, in a window `width` wide.
    pub async fn height(&self, width: u32) -> u64 {
        self.client.set_window_size(width, 900).await.unwrap();
        let v: Value = self
            .client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .unwrap();
        self.client.set_window_size(1280, 1024).await.unwrap();
        serde_json::from_value(v).unwrap()
    }

    /// The elements matching `css` whose computed text colour contrasts less than 4.5:1 with
    /// the first opaque background behind them (WCAG 2.1's relative luminance), as
    /// "text: ratio".
    pub async fn low_contrast(&self, css: &str) -> Vec<String> {
        let found = self
            .client
            .execute(
                "const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(v => {
                     v = Number(v) / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
                   return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
                 const behind = e => { for (; e; e = e.parentElement) {
                     const c = getComputedStyle(e).backgroundColor, v = c.match(/[\\d.]+/g);
                     if (v && (v.length < 4 || Number(v[3]) > 0)) return c; }
                   return 'rgb(255, 255, 255)'; };
                 return [...document.querySelectorAll(arguments[0])].map(e => {
                   const f = lum(getComputedStyle(e).color), b = lum(behind(e));
                   return [e.textContent.trim().replace(/\\s+/g, ' '), (Math.max(f, b) + 0.05) / (Math.min(f, b) + 0.05)];
                 }).filter(([, r]) => r < 4.5).map(([t, r]) => t + ': ' + r.toFixed(2));",
                vec![json!(css)],
            )
            .await
            .unwrap();
        serde_json::from_value(found).unwrap()
    }

    /// Waits (up to ten seconds) until the browser shows a page at `path`.
    pub async fn wait_for_path(&self, path: &str) {
        let started = Instant::now();
        loop {
            let url = self.client.current_url().await.unwrap();
            if url.path() == path {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "still at {url}, not {path}: {}",
                self.text().await
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until an element matching `css` is on the page.
    pub async fn wait_for(&self, css: &str) {
        self.client.wait().for_element(Locator::Css(css)).await.unwrap();
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let e = self.client.find(Locator::Css(css)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }

    pub async fn text(&self) -> String {
        self.client
            .find(Locator::Css("main"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// The id (or name, or text) of the focused element.
    pub async fn focused(&self) -> String {
        let v: Value = self
            .client
            .execute(
                "const e = document.activeElement; return e === document.body ? 'body' : (e.id || e.name || e.textContent.trim());",
                vec![],
            )
            .await
            .unwrap();
        v.as_str().unwrap_or_default().to_owned()
    }

    /// Sends keys to the focused element, as a person at the keyboard would.
    pub async fn keys(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .unwrap()
            .send_keys(keys)
            .await
            .unwrap();
    }

    /// Presses Tab until the element `id` has the focus (at most 60 times), and returns what
    /// had the focus on the way.
    pub async fn tab_to(&self, id: &str) -> Vec<String> {
        let mut seen = Vec::new();
        use fantoccini::{
            actions::{InputSource, KeyAction, KeyActions},
            key::Key,
        };
        for _ in 0..60 {
            // As a key press, not typed into the focused element: a file input would take
            // typed keys for a file name.
            let tab = KeyActions::new("keyboard".into())
                .then(KeyAction::Down { value: Key::Tab.into() })
                .then(KeyAction::Up { value: Key::Tab.into() });
            self.client.perform_actions(tab).await.unwrap();
            let f = self.focused().await;
            if f == id {
                return seen;
            }
            seen.push(f);
        }
        panic!("Tab never reached #{id}; it went through {seen:?}");
    }

    /// Chooses the option with `value` in the select `css`.
    pub async fn select(&self, css: &str, value: &str) {
        let e = self.client.find(Locator::Css(css)).await.unwrap();
        e.select_by_value(value).await.unwrap();
    }

    /// Signs `user` in through the form, starting from a fresh session, and waits until signed in.
    pub async fn sign_in(&self, base: &str, user: &str, password: &str) {
        self.client.delete_all_cookies().await.unwrap();
        self.goto(&format!("{base}/inloggen?terug=/geschillen")).await;
        self.fill("#gebruikersnaam", user).await;
        self.fill("#wachtwoord", password).await;
        self.click("form.form button[type=submit]").await;
        self.wait_for("form[action='/uitloggen']").await;
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        let _ = self.driver.kill();
    }
}
