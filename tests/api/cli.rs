//! The `beslecht` binary itself: zero-configuration start, graceful shutdown, start-up
//! refusals that name what is wrong, and user management from the command line.

use std::{
    io::Write,
    process::{Command, Stdio},
};

use beslecht::service::{App, login};

use crate::binary::{BIN, beslecht, serve};

#[test]
fn help_lists_every_command() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for cmd in ["serve", "migrate", "seed", "user", "openapi", "audit", "rules"] {
        assert!(text.contains(cmd), "{cmd} in {text}");
    }
    let out = Command::new(BIN).args(["user", "--help"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for cmd in ["add", "set-password", "disable"] {
        assert!(text.contains(cmd), "{cmd} in {text}");
    }
}

/// `beslecht rules` prints the rule book the service applies, as markdown or JSON, without a
/// database; the markdown is the one kept in `policies/regelboek.md`.
#[test]
fn the_rule_book_is_printed_as_markdown_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .current_dir(dir.path())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .output()
            .unwrap()
    };
    let md = run(&["rules"]);
    assert!(md.status.success(), "{}", String::from_utf8_lossy(&md.stderr));
    let md = String::from_utf8(md.stdout).unwrap();
    assert_eq!(md, include_str!("../../policies/regelboek.md"));
    assert!(md.contains("## commissie.zitting+gepland"));
    let json = run(&["rules", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let personas = json["personas"].as_array().unwrap();
    assert!(personas.iter().any(|p| p == "voorzitter"));
    let concept = &json["situations"][0];
    assert_eq!(concept["key"], "concept");
    let submit = concept["actions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["action"] == "submit")
        .unwrap();
    assert_eq!(submit["answers"]["verzoeker"]["allowed"], true);
    assert_eq!(submit["answers"]["secretaris"]["status"], 404);
    // No database was touched.
    assert!(!dir.path().join("data").exists());
}

#[test]
fn an_invalid_setting_stops_start_up_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let out = beslecht(dir.path())
        .arg("migrate")
        .env("BESLECHT_TOKEN_TTL", "5")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("BESLECHT_TOKEN_TTL"));
    assert!(!dir.path().join("data").exists(), "nothing was created");
}

/// Starts `beslecht migrate` on a copy of the repository's policies with one file replaced by
/// `edit` of its text, and answers what it printed on standard error (it must fail).
fn migrate_with_policy(file: &str, edit: impl Fn(String) -> String) -> String {
    let dir = tempfile::tempdir().unwrap();
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    for name in [
        "schema.cedarschema",
        "authorization.cedar",
        "reglement.toml",
        "feestdagen.toml",
    ] {
        let text = std::fs::read_to_string(format!("{}/policies/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let text = if name == file { edit(text) } else { text };
        std::fs::write(policies.join(name), text).unwrap();
    }
    let out = beslecht(dir.path())
        .arg("migrate")
        .env("BESLECHT_POLICY_DIR", &policies)
        .output()
        .unwrap();
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_holiday_file_that_contradicts_itself_stops_start_up_and_is_named() {
    let err = migrate_with_policy("feestdagen.toml", |text| {
        format!("{text}\n[[gelijkgesteld]]\ndatum = \"2026-05-15\"\nomschrijving = \"nog eens\"\n")
    });
    assert!(
        err.contains("feestdagen.toml") && err.contains("2026-05-15") && err.contains("twice"),
        "{err}"
    );
}

#[test]
fn a_broken_policy_file_stops_start_up_and_is_named() {
    let err = migrate_with_policy("authorization.cedar", |_| {
        "permit(principal, action, resource) when { principal.nonsense };".into()
    });
    assert!(err.contains("authorization.cedar"), "{err}");
}

#[test]
fn a_reglement_that_contradicts_itself_stops_start_up_and_is_named() {
    let err = migrate_with_policy("reglement.toml", |text| {
        text.replacen("agreements = [2, 5]", "agreements = [2, 12]", 1)
    });
    assert!(
        err.contains("reglement.toml") && err.contains("kinds.tussen_regios") && err.contains("12"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zero_configuration_serves_on_sqlite_and_shuts_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let served = serve(beslecht(dir.path()));
    let (mut child, addr, log) = (served.child, served.addr, served.log);
    assert!(
        log.contains("initial-admin-password.txt"),
        "the operator is told where the password is:\n{log}"
    );
    assert!(!log.contains("password:"), "the password itself is never logged");
    let ready = reqwest::get(format!("http://{addr}/health/ready")).await.unwrap();
    assert_eq!(ready.status(), 200);
    assert!(dir.path().join("data/beslecht.db").exists());
    assert!(dir.path().join("data/token-signing.key").exists());

    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "graceful shutdown exits cleanly: {status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    assert!(beslecht(dir.path()).arg("seed").status().unwrap().success());

    let add = |password: &str| {
        let mut child = beslecht(dir.path())
            .args([
                "user",
                "add",
                "--username",
                "m.peters",
                "--display-name",
                "Marij Peters",
                "--role",
                "gemeente",
                "--organisation",
                "Maastricht",
                "--password-stdin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let out = add("te kort");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("password"));
    assert!(add("een goed wachtwoord").status.success());
    assert!(!add("een goed wachtwoord").status.success(), "the username is taken");

    // Signing in with the password alone: no role requires a second factor here.
    let config = beslecht::config::Config::load(|k| match k {
        "BESLECHT_DATA_DIR" => Some(dir.path().join("data").display().to_string()),
        "BESLECHT_SECOND_FACTOR_ROLES" => Some("none".to_owned()),
        _ => None,
    })
    .unwrap();
    let app = App::start(config).await.unwrap();
    let sign_in = |password: &'static str| {
        let app = app.clone();
        async move {
            let credentials = login::Credentials {
                username: "m.peters".into(),
                password: password.into(),
                code: None,
            };
            login::login(&app, credentials, "10.8.0.1".parse().unwrap(), None)
                .await
                .is_ok()
        }
    };
    assert!(sign_in("een goed wachtwoord").await);

    let mut child = beslecht(dir.path())
        .args(["user", "set-password", "m.peters", "--password-stdin"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "een nieuw wachtwoord").unwrap();
    assert!(child.wait().unwrap().success());
    assert!(!sign_in("een goed wachtwoord").await);
    assert!(sign_in("een nieuw wachtwoord").await);

    assert!(
        beslecht(dir.path())
            .args(["user", "disable", "m.peters"])
            .status()
            .unwrap()
            .success()
    );
    assert!(!sign_in("een nieuw wachtwoord").await);
    let out = beslecht(dir.path())
        .args(["user", "disable", "nobody"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}
