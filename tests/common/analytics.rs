//! Results: an event published to two channels over HTTP, following its tracked links as a
//! phone would, entering through the HTML form, and decoding QR codes.
#![allow(dead_code, clippy::unwrap_used)]

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::entries::open_event_with;
use super::process::ApiClient;

/// A published event (INSTAGRAM and KAKAO on the local sandbox, a 300,000 KRW budget) whose
/// entries are open today, over HTTP on a running binary.
pub async fn two_channel_event(c: &ApiClient) -> String {
    open_event_with(c, &["INSTAGRAM", "KAKAO"], json!({"budget": 300_000})).await
}

/// A phone: its own browser (user agent), never following redirects by itself.
pub struct Phone {
    pub http: reqwest::Client,
}

impl Phone {
    pub fn new(n: usize) -> Self {
        let agent = format!("Mozilla/5.0 (Linux; Android 14; SM-S92{n}N) Mobile Safari/537.36");
        let http = reqwest::Client::builder()
            .user_agent(agent)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self { http }
    }

    /// Opens a tracked link: where it leads.
    pub async fn open_link(&self, url: &str) -> String {
        let res = self.http.get(url).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FOUND, "{url}");
        res.headers()["location"].to_str().unwrap().to_owned()
    }

    /// Opens a page as a browser does: its HTML, once the view beacon it carries is loaded.
    pub async fn page(&self, base: &str, path: &str) -> String {
        let res = self.http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let html = res.text().await.unwrap();
        if html.contains("class=\"seen\" src=\"") {
            let beacon = attr(&html, "class=\"seen\" src=\"", "\"").replace("&amp;", "&");
            let res = self
                .http
                .get(format!("{base}{beacon}"))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{beacon}");
            assert_eq!(res.headers()["content-type"], "image/gif");
        }
        html
    }

    /// Sends the event page's form, ticking the required boxes: (status, HTML).
    pub async fn enter(
        &self,
        base: &str,
        page: &str,
        name: &str,
        phone: &str,
    ) -> (StatusCode, String) {
        let action = attr(page, "form method=\"post\" action=\"", "\"");
        let mut form = vec![
            ("name", name.to_owned()),
            ("phone", phone.to_owned()),
            ("agreePrivacy", "true".to_owned()),
            ("ageOver14", "true".to_owned()),
        ];
        // The hidden fields the page has (a shared page has no retry key).
        for hidden in ["channel", "key"] {
            let start = format!("name=\"{hidden}\" value=\"");
            if page.contains(&start) {
                form.push((hidden, attr(page, &start, "\"")));
            }
        }
        let res = self
            .http
            .post(format!("{base}{action}"))
            .form(&form)
            .send()
            .await
            .unwrap();
        (res.status(), res.text().await.unwrap())
    }
}

/// The text between `start` and the next `end` in `html`.
pub fn attr(html: &str, start: &str, end: &str) -> String {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} not in {html}"))
        + start.len();
    let len = html[from..].find(end).unwrap();
    html[from..from + len].to_owned()
}

/// The text a QR code in a PNG says.
pub fn decode_qr(png_bytes: &[u8]) -> String {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[(y * w + x) * channels]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the picture");
    grids[0].decode().unwrap().1
}

/// One channel's row of a dashboard.
pub fn row<'a>(d: &'a Value, channel: &str) -> &'a Value {
    d["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["channel"] == channel)
        .unwrap()
}
