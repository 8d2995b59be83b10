//! The web pages in the case benchmark: a browser session per user (signed in through the
//! form, as a person would), and requests for pages with its cookie.

use reqwest::{
    Client,
    header::{COOKIE, SET_COOKIE},
    redirect::Policy,
};

fn cookie_value(res: &reqwest::Response, name: &str) -> Option<String> {
    res.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

/// Signs `user` in through the sign-in form; answers the `Cookie` header of the session.
pub async fn session(base: &str, user: &str, password: &str) -> String {
    let c = Client::builder().redirect(Policy::none()).build().unwrap();
    let form = c.get(format!("{base}/inloggen")).send().await.unwrap();
    let token = cookie_value(&form, "beslecht_inlog").expect("the sign-in form sets its token");
    let res = c
        .post(format!("{base}/inloggen"))
        .header(COOKIE, format!("beslecht_inlog={token}"))
        .form(&[
            ("csrf", token.as_str()),
            ("terug", "/geschillen"),
            ("gebruikersnaam", user),
            ("wachtwoord", password),
        ])
        .send()
        .await
        .unwrap();
    let session = cookie_value(&res, "beslecht_sessie").expect("signed in");
    format!("beslecht_sessie={session}")
}

/// A page request with the session's cookie; true on 200.
pub fn page(client: &Client, url: String, cookie: &str) -> impl std::future::Future<Output = bool> + Send + 'static {
    let req = client.get(url).header(COOKIE, cookie.to_owned());
    async move { req.send().await.is_ok_and(|r| r.status() == 200) }
}

/// The page's weight: its HTML in bytes (the stylesheet comes once, then from the cache).
pub async fn weight(client: &Client, url: &str, cookie: &str) -> usize {
    client
        .get(url)
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .len()
}
