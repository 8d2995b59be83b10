//! Starts the test identity provider (`provider.mjs`, oidc-provider on Node.js) and walks a
//! person through its sign-in; shared by the tests (`tests/api/federation.rs`) and the
//! benchmark (`benches/oidc.rs`).

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
};

use serde_json::{Value, json};

pub const SECRET: &str = "test-client-secret-of-thirty-two-chars";

/// The provider's process, stopped when dropped.
pub struct Provider {
    child: Child,
    pub issuer: String,
    _dir: tempfile::TempDir,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn installed() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc");
    if !dir.join("node_modules/oidc-provider").exists() {
        let ok = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir)
            .status()
            .expect("npm runs");
        assert!(ok.success(), "npm ci in tests/oidc");
    }
    dir
}

/// Starts the provider with client `beslecht` for a service at `public_url` (provider name
/// `test` there) and these accounts.
pub fn start(public_url: &str, accounts: Value) -> Provider {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("provider.json");
    let clients = json!([{
        "client_id": "beslecht",
        "client_secret": SECRET,
        "redirect_uris": [format!("{public_url}/inloggen/test/terug")],
        "backchannel_logout_uri": format!("{public_url}/inloggen/test/uitloggen"),
        "backchannel_logout_session_required": true,
        "post_logout_redirect_uris": [format!("{public_url}/")],
    }]);
    std::fs::write(&config, json!({"clients": clients, "accounts": accounts}).to_string()).unwrap();
    let mut child = Command::new("node")
        .arg(installed().join("provider.mjs"))
        .arg(&config)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let issuer = line
        .trim()
        .strip_prefix("ready ")
        .expect("the provider is ready")
        .to_owned();
    Provider {
        child,
        issuer,
        _dir: dir,
    }
}

/// The service's configuration of this provider (`BESLECHT_IDENTITY_PROVIDERS`' file), with
/// the secret in `TEST_OIDC_SECRET`.
pub fn service_config(issuer: &str, provisioning: bool) -> String {
    format!(
        "[[provider]]\nname = \"test\"\nlabel = \"Testprovider\"\nissuer = \"{issuer}\"\nclient_id = \"beslecht\"\nclient_secret_env = \"TEST_OIDC_SECRET\"\nscopes = [\"email\", \"profile\", \"beslecht\"]\norganisation_claim = \"organisation\"\ngroups_claim = \"groups\"\nprovisioning = {provisioning}\n[provider.roles]\n\"beslecht-gemeente\" = \"gemeente\"\n"
    )
}

/// The person's browser at the provider: keeps the provider's cookies, follows nothing itself.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// From the provider's authorisation address, signs in as `account`: answers the address the
/// provider sends the browser back to (the service's callback, not yet visited).
pub async fn sign_in(idp: &reqwest::Client, issuer: &str, authorisation: &str, account: &str) -> String {
    let location = |res: &reqwest::Response| res.headers()[reqwest::header::LOCATION].to_str().unwrap().to_owned();
    let mut next = authorisation.to_owned();
    for _ in 0..10 {
        if !next.starts_with(issuer) && !next.starts_with('/') {
            return next;
        }
        let url = if next.starts_with('/') {
            format!("{issuer}{next}")
        } else {
            next.clone()
        };
        let res = idp.get(&url).send().await.unwrap();
        if res.status() == 200 {
            // The provider's sign-in form.
            let page = res.text().await.unwrap();
            let action = page
                .split("action=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_owned();
            let res = idp
                .post(format!("{issuer}{action}"))
                .form(&[("login", account)])
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 303, "the provider takes the sign-in");
            next = location(&res);
        } else {
            assert!(
                res.status().is_redirection(),
                "{}: {}",
                res.status(),
                res.text().await.unwrap()
            );
            next = location(&res);
        }
    }
    panic!("the provider did not send the browser back");
}
