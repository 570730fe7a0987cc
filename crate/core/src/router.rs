//! The background's router: checks who sent a request, then acts on it.
//!
//! The glue turns the browser's `MessageSender` into a [`Sender`]; only that, never a field of
//! the message itself, decides what the sender may do.

use std::collections::BTreeMap;

use crate::protocol::{
    ContentRequest, ContentResponse, Envelope, PageRequest, PageResponse, Refusal, Reply, Request,
    TabStatus, PROTOCOL_VERSION,
};

/// Who sent a message, as established by the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    /// A content script in a web page's tab.
    ContentScript { tab_id: Option<i32> },
    /// One of the extension's own pages (popup, options).
    ExtensionPage,
    /// Anything else (another extension, a page without a tab, an unknown origin).
    Unknown,
}

impl Sender {
    /// Classifies a sender from the fields of the browser's `MessageSender`.
    ///
    /// `own_id` is this extension's id and `own_origin` its page origin (for example
    /// `chrome-extension://abc/`). A sender from another extension is `Unknown`; a sender whose
    /// URL lies inside the extension origin but that runs in a web page's tab is still a content
    /// script's frame and is treated as such only when its URL is not the extension's.
    pub fn classify(
        sender_id: Option<&str>,
        sender_url: Option<&str>,
        tab_id: Option<i32>,
        own_id: &str,
        own_origin: &str,
    ) -> Sender {
        if sender_id != Some(own_id) {
            return Sender::Unknown;
        }
        match sender_url {
            Some(url) if url.starts_with(own_origin) => Sender::ExtensionPage,
            Some(url) if url.starts_with("https://") => Sender::ContentScript { tab_id },
            _ => Sender::Unknown,
        }
    }
}

/// State the background keeps while it runs.
#[derive(Debug, Default)]
pub struct Background {
    tabs: BTreeMap<i32, TabStatus>,
}

impl Background {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses and answers one message. Never panics on any input.
    pub fn handle_json(&mut self, sender: &Sender, message: &str, now_ms: f64) -> Reply {
        match serde_json::from_str::<serde_json::Value>(message) {
            Ok(value) => self.handle_value(sender, value, now_ms),
            Err(err) => refused(Refusal::Malformed(err.to_string())),
        }
    }

    /// Answers one message already parsed as JSON.
    pub fn handle_value(
        &mut self,
        sender: &Sender,
        message: serde_json::Value,
        now_ms: f64,
    ) -> Reply {
        // Check the version before the shape, so an old tab gets the helpful error.
        let version = message.get("v").and_then(serde_json::Value::as_u64);
        match version {
            Some(v) if v == u64::from(PROTOCOL_VERSION) => {}
            Some(v) => {
                return refused(Refusal::VersionMismatch {
                    expected: PROTOCOL_VERSION,
                    got: u32::try_from(v).unwrap_or(u32::MAX),
                })
            }
            None => return refused(Refusal::Malformed("missing protocol version".into())),
        }
        match serde_json::from_value::<Envelope>(message) {
            Ok(envelope) => self.handle(sender, envelope, now_ms),
            Err(err) => refused(Refusal::Malformed(err.to_string())),
        }
    }

    /// Answers one request after checking that its sender may use its channel.
    pub fn handle(&mut self, sender: &Sender, envelope: Envelope, now_ms: f64) -> Reply {
        if envelope.v != PROTOCOL_VERSION {
            return refused(Refusal::VersionMismatch {
                expected: PROTOCOL_VERSION,
                got: envelope.v,
            });
        }
        match (sender, envelope.request) {
            (Sender::ContentScript { tab_id }, Request::Content(request)) => match tab_id {
                Some(tab_id) => Reply::Content {
                    body: self.content(*tab_id, request, now_ms),
                },
                None => refused(Refusal::NoTab),
            },
            (Sender::ExtensionPage, Request::Page(request)) => Reply::Page {
                body: self.page(request),
            },
            // Extension pages have no business on the content channel either: a request there
            // would be attributed to a tab that did not send it.
            _ => refused(Refusal::NotAllowed),
        }
    }

    /// Forgets a tab (it was closed or navigated away from a supported site).
    pub fn forget_tab(&mut self, tab_id: i32) {
        self.tabs.remove(&tab_id);
    }

    fn content(&mut self, tab_id: i32, request: ContentRequest, now_ms: f64) -> ContentResponse {
        match request {
            ContentRequest::Hello { site, engine } => {
                self.tabs.insert(
                    tab_id,
                    TabStatus {
                        site,
                        engine: Some(engine),
                        failure: None,
                        reported_at: now_ms,
                    },
                );
            }
            ContentRequest::EngineFailed { site, reason } => {
                let status = self.tabs.entry(tab_id).or_insert(TabStatus {
                    site,
                    engine: None,
                    failure: None,
                    reported_at: now_ms,
                });
                status.site = site;
                status.failure = Some(truncate(&reason, 500));
                status.reported_at = now_ms;
            }
        }
        ContentResponse::Ack
    }

    fn page(&mut self, request: PageRequest) -> PageResponse {
        match request {
            PageRequest::TabStatus { tab_id } => PageResponse::TabStatus {
                status: self.tabs.get(&tab_id).cloned(),
            },
        }
    }
}

fn refused(error: Refusal) -> Reply {
    Reply::Refused { error }
}

/// Cuts a page-supplied string to at most `max` characters, on a character boundary.
fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Engine;
    use crate::site::Site;
    use serde_json::json;

    const OWN_ID: &str = "abcdef";
    const OWN_ORIGIN: &str = "chrome-extension://abcdef/";

    fn hello(site: &str, engine: &str) -> serde_json::Value {
        json!({"v": 1, "channel": "content", "body": {"type": "hello", "site": site, "engine": engine}})
    }

    fn status_request(tab_id: i32) -> serde_json::Value {
        json!({"v": 1, "channel": "page", "body": {"type": "tab_status", "tab_id": tab_id}})
    }

    #[test]
    fn senders_are_classified_from_browser_facts() {
        let page = Sender::classify(
            Some(OWN_ID),
            Some("chrome-extension://abcdef/popup.html"),
            None,
            OWN_ID,
            OWN_ORIGIN,
        );
        assert_eq!(page, Sender::ExtensionPage);
        let content = Sender::classify(
            Some(OWN_ID),
            Some("https://web.whatsapp.com/"),
            Some(4),
            OWN_ID,
            OWN_ORIGIN,
        );
        assert_eq!(content, Sender::ContentScript { tab_id: Some(4) });
        let other_extension = Sender::classify(
            Some("zzz"),
            Some("chrome-extension://zzz/popup.html"),
            None,
            OWN_ID,
            OWN_ORIGIN,
        );
        assert_eq!(other_extension, Sender::Unknown);
        let lookalike = Sender::classify(
            Some(OWN_ID),
            Some("chrome-extension://abcdefg/popup.html"),
            None,
            OWN_ID,
            "chrome-extension://abcdef/",
        );
        assert_eq!(lookalike, Sender::Unknown);
        let no_url = Sender::classify(Some(OWN_ID), None, Some(1), OWN_ID, OWN_ORIGIN);
        assert_eq!(no_url, Sender::Unknown);
    }

    #[test]
    fn hello_is_recorded_and_readable_by_pages() {
        let mut background = Background::new();
        let content = Sender::ContentScript { tab_id: Some(7) };
        let reply = background.handle_value(&content, hello("slack", "fallback"), 1000.0);
        assert_eq!(
            reply,
            Reply::Content {
                body: ContentResponse::Ack
            }
        );

        let reply = background.handle_value(&Sender::ExtensionPage, status_request(7), 2000.0);
        let Reply::Page {
            body: PageResponse::TabStatus {
                status: Some(status),
            },
        } = reply
        else {
            panic!("unexpected {reply:?}");
        };
        assert_eq!(status.site, Site::Slack);
        assert_eq!(status.engine, Some(Engine::Fallback));
        assert_eq!(status.reported_at, 1000.0);
    }

    #[test]
    fn content_scripts_are_refused_privileged_requests() {
        let mut background = Background::new();
        let content = Sender::ContentScript { tab_id: Some(1) };
        let reply = background.handle_value(&content, status_request(1), 0.0);
        assert_eq!(
            reply,
            Reply::Refused {
                error: Refusal::NotAllowed
            }
        );
    }

    #[test]
    fn pages_and_unknown_senders_cannot_speak_for_a_tab() {
        let mut background = Background::new();
        for sender in [Sender::ExtensionPage, Sender::Unknown] {
            let reply = background.handle_value(&sender, hello("discord", "wasm"), 0.0);
            assert_eq!(
                reply,
                Reply::Refused {
                    error: Refusal::NotAllowed
                }
            );
        }
        let reply = background.handle_value(&Sender::Unknown, status_request(1), 0.0);
        assert_eq!(
            reply,
            Reply::Refused {
                error: Refusal::NotAllowed
            }
        );
    }

    #[test]
    fn content_without_a_tab_is_refused() {
        let mut background = Background::new();
        let reply = background.handle_value(
            &Sender::ContentScript { tab_id: None },
            hello("slack", "wasm"),
            0.0,
        );
        assert_eq!(
            reply,
            Reply::Refused {
                error: Refusal::NoTab
            }
        );
    }

    #[test]
    fn versions_and_shapes_are_checked() {
        let mut background = Background::new();
        let page = Sender::ExtensionPage;
        let mut old = status_request(1);
        old["v"] = json!(0);
        assert_eq!(
            background.handle_value(&page, old, 0.0),
            Reply::Refused {
                error: Refusal::VersionMismatch {
                    expected: 1,
                    got: 0
                }
            }
        );
        for bad in [
            "",
            "null",
            "[]",
            "{\"v\":1}",
            "{\"v\":1,\"channel\":\"page\",\"body\":{\"type\":\"drop_tables\"}}",
            "{\"v\":\"1\"}",
        ] {
            assert!(
                matches!(
                    background.handle_json(&page, bad, 0.0),
                    Reply::Refused {
                        error: Refusal::Malformed(_)
                    }
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn failures_are_kept_short_and_shown() {
        let mut background = Background::new();
        let content = Sender::ContentScript { tab_id: Some(3) };
        let reason = "x".repeat(10_000);
        let message = json!({"v": 1, "channel": "content", "body": {"type": "engine_failed", "site": "telegram", "reason": reason}});
        background.handle_value(&content, message, 5.0);
        let Reply::Page {
            body: PageResponse::TabStatus {
                status: Some(status),
            },
        } = background.handle_value(&Sender::ExtensionPage, status_request(3), 6.0)
        else {
            panic!("no status");
        };
        assert_eq!(status.failure.as_deref().map(str::len), Some(500));
        assert_eq!(status.engine, None);
        background.forget_tab(3);
        assert_eq!(
            background.handle_value(&Sender::ExtensionPage, status_request(3), 7.0),
            Reply::Page {
                body: PageResponse::TabStatus { status: None }
            }
        );
    }
}
