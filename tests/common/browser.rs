//! A real browser for the pages: Debian's headless Chromium driven through ChromeDriver
//! (WebDriver, from Rust with fantoccini), screenshots under `target/screenshots/`, axe-core
//! for accessibility, and a count of what the owner had to do (clicks, typed fields).
#![allow(dead_code, clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// ChromeDriver as a child process (killed on drop).
pub struct Driver {
    child: Child,
    pub url: String,
}

impl Driver {
    pub async fn start() -> Self {
        let port = super::process::free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver is installed (infra/test installs Debian's chromium-driver)");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }

    /// A headless Chromium window of `width` × `height`, in Korean.
    pub async fn browser(&self, width: u32, height: u32) -> Browser {
        let mut caps = serde_json::Map::new();
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--lang=ko-KR",
            &format!("--window-size={width},{height}"),
        ];
        caps.insert(
            "goog:chromeOptions".into(),
            json!({"binary": "/usr/bin/chromium", "args": args}),
        );
        // ChromeDriver is on this machine: plain HTTP, no TLS stack.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&self.url)
            .await
            .unwrap();
        client.set_window_size(width, height).await.unwrap();
        Browser {
            client,
            clicks: 0,
            typed: 0,
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser window, counting the clicks and typed fields a person would make.
pub struct Browser {
    pub client: Client,
    pub clicks: u32,
    pub typed: u32,
}

impl Browser {
    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap();
    }

    /// Waits (up to two minutes: pages refresh themselves while a job runs) for `css`.
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        let wait = self.client.wait().at_most(Duration::from_secs(
            std::env::var("BROWSER_WAIT_SECONDS")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(120),
        ));
        match wait.for_element(Locator::Css(css)).await {
            Ok(found) => found,
            Err(e) => {
                let shot = self.screenshot("failed").await;
                let url = self
                    .client
                    .current_url()
                    .await
                    .map(|u| u.to_string())
                    .unwrap_or_default();
                let page = self.client.source().await.unwrap_or_default();
                panic!(
                    "{css}: {e} at {url} (screenshot {}):\n{page}",
                    shot.display()
                )
            }
        }
    }

    pub async fn click(&mut self, css: &str) {
        self.wait_for(css).await.click().await.unwrap();
        self.clicks += 1;
    }

    /// Clicks what leads to another page (a button that posts, a link), and waits until the
    /// browser has loaded it: a click returns before a form's redirect has been followed.
    pub async fn submit(&mut self, css: &str) {
        self.client
            .execute("window.__leaving = true;", vec![])
            .await
            .unwrap();
        self.click(css).await;
        let started = Instant::now();
        loop {
            let gone = self
                .client
                .execute("return window.__leaving === undefined;", vec![])
                .await;
            if gone.is_ok_and(|v| v == json!(true)) && self.ready().await {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "{css} led nowhere"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn ready(&self) -> bool {
        let state = self
            .client
            .execute("return document.readyState;", vec![])
            .await;
        state.is_ok_and(|v| v == json!("complete"))
    }

    pub async fn type_into(&mut self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        field.clear().await.unwrap();
        field.send_keys(text).await.unwrap();
        self.typed += 1;
    }

    /// Fills a field whose editor WebDriver cannot type into (a date), as one typed field.
    pub async fn set_value(&mut self, css: &str, value: &str) {
        let field = self.wait_for(css).await;
        let script = "arguments[0].value = arguments[1]; \
            arguments[0].dispatchEvent(new Event('change', {bubbles: true}));";
        let args = vec![serde_json::to_value(field).unwrap(), json!(value)];
        self.client.execute(script, args).await.unwrap();
        self.typed += 1;
    }

    /// Whether the page fits the window's width (no sideways scrolling on a phone).
    pub async fn fits_width(&self) -> bool {
        let script = "return document.documentElement.scrollWidth <= window.innerWidth;";
        self.client.execute(script, vec![]).await.unwrap() == json!(true)
    }

    /// The window's new size (the owner's phone, after a desktop).
    pub async fn resize(&self, width: u32, height: u32) {
        self.client.set_window_size(width, height).await.unwrap();
    }

    /// Texts in the page's tables squeezed to two characters or fewer per line (a column too
    /// narrow for its words: "인/스/타/그/램"), found from the lines each text node is laid on.
    pub async fn squeezed_text(&self) -> Vec<String> {
        let script = r#"
            const bad = [];
            const hidden = el => el && el.getBoundingClientRect().width <= 1;
            document.querySelectorAll("main td, main th").forEach(cell => {
              // A header hidden for screens (its table reads as cards) is not on show.
              if (hidden(cell) || hidden(cell.closest("thead, .sr-only"))) { return; }
              const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
              let node;
              while ((node = walk.nextNode())) {
                const text = node.textContent.replace(/\s+/g, "");
                if (text.length < 3) { continue; }
                const range = document.createRange();
                range.selectNodeContents(node);
                const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
                if (tops.size >= Math.ceil(text.length / 2)) { bad.push(node.textContent.trim()); }
              }
            });
            return bad;"#;
        let found = self.client.execute(script, vec![]).await.unwrap();
        serde_json::from_value(found).unwrap()
    }

    /// Scrolls `css` into view (before a screenshot of it).
    pub async fn scroll_to(&self, css: &str) {
        let field = self.wait_for(css).await;
        let args = vec![serde_json::to_value(field).unwrap()];
        self.client
            .execute("arguments[0].scrollIntoView({block: 'center'});", args)
            .await
            .unwrap();
    }

    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap()
    }

    pub async fn path(&self) -> String {
        self.client.current_url().await.unwrap().path().to_owned()
    }

    /// Saves what the window shows as `target/screenshots/<name>.png`; the file's path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, self.client.screenshot().await.unwrap()).unwrap();
        path
    }

    /// axe-core's serious and critical violations on the page (`id: nodes` each).
    pub async fn accessibility(&self) -> Vec<String> {
        let axe = std::fs::read_to_string(axe_path())
            .expect("axe-core is installed (infra/test installs it with npm into .tools/axe-core)");
        self.client.execute(&axe, vec![]).await.unwrap();
        let script = "const done = arguments[0]; axe.run(document).then(r => done(r.violations \
            .filter(v => v.impact === 'serious' || v.impact === 'critical') \
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))));";
        let found: Value = self.client.execute_async(script, vec![]).await.unwrap();
        serde_json::from_value(found).unwrap()
    }

    pub async fn close(self) {
        self.client.close().await.unwrap();
    }
}

pub fn axe_path() -> PathBuf {
    std::env::var_os("AXE_CORE_JS").map_or_else(
        || {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join(".tools/axe-core/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    )
}
