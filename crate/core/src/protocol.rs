//! The messages between contexts: one request and one response enum per direction.
//!
//! Every message travels in an [`Envelope`] that carries the protocol version and the channel the
//! sender claims. The claim is never trusted on its own: the router compares it with what the
//! browser says about the sender (see [`crate::router::Sender`]).

use serde::{Deserialize, Serialize};

use crate::site::Site;

/// Bumped whenever a message changes shape incompatibly. Contexts of one installed build always
/// agree; a mismatch means a stale tab from before an update, which gets a clear error.
pub const PROTOCOL_VERSION: u32 = 1;

/// Which build of the content core is running in a tab.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// The WebAssembly module.
    Wasm,
    /// The same Rust compiled to JavaScript (wasm2js), for pages whose CSP forbids wasm.
    Fallback,
}

/// A request on the wire: version plus the request of one channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub v: u32,
    #[serde(flatten)]
    pub request: Request,
}

impl Envelope {
    pub fn new(request: Request) -> Self {
        Envelope {
            v: PROTOCOL_VERSION,
            request,
        }
    }
}

/// The request together with the channel the sender claims to speak on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "channel", content = "body", rename_all = "snake_case")]
pub enum Request {
    Content(ContentRequest),
    Page(PageRequest),
}

/// Content script → background. Content scripts run next to untrusted pages, so this channel only
/// reports what the page shows and reads what the page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentRequest {
    /// The content core started in this tab.
    Hello { site: Site, engine: Engine },
    /// The content core could not start or stopped itself; the reason is shown in the popup.
    EngineFailed { site: Site, reason: String },
}

/// Background → content script.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ContentResponse {
    Ack,
}

/// Extension page (popup, options) → background. Privileged: only the extension's own pages may
/// use this channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PageRequest {
    /// What the content core reported for one tab.
    TabStatus { tab_id: i32 },
}

/// Background → extension page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PageResponse {
    TabStatus { status: Option<TabStatus> },
}

/// What the background knows about the content core in one tab.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TabStatus {
    pub site: Site,
    pub engine: Option<Engine>,
    /// Set when the core failed to start or switched itself off; shown to the user.
    pub failure: Option<String>,
    /// Milliseconds since the epoch of the latest report.
    pub reported_at: f64,
}

/// Why a request was not carried out. Serialised as `{code, message}` for the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", content = "detail", rename_all = "snake_case")]
pub enum Refusal {
    /// The message was not a well-formed envelope.
    Malformed(String),
    /// The sender speaks another protocol version (a tab left over from before an update).
    VersionMismatch { expected: u32, got: u32 },
    /// The sender may not use this channel (a content script asking for a privileged request).
    NotAllowed,
    /// A content-channel request without a tab to attribute it to.
    NoTab,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Malformed(why) => write!(f, "malformed request: {why}"),
            Refusal::VersionMismatch { expected, got } => {
                write!(
                    f,
                    "protocol version {got} is not {expected}; reload the tab"
                )
            }
            Refusal::NotAllowed => write!(f, "this sender may not make that request"),
            Refusal::NoTab => write!(f, "a content request must come from a tab"),
        }
    }
}

/// What goes back on the wire: either the response of the request's channel or a refusal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Reply {
    Content { body: ContentResponse },
    Page { body: PageResponse },
    Refused { error: Refusal },
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn envelope_wire_shape_is_stable() {
        let envelope = Envelope::new(Request::Content(ContentRequest::Hello {
            site: Site::GoogleGroups,
            engine: Engine::Fallback,
        }));
        let wire = serde_json::to_value(&envelope).unwrap();
        assert_eq!(
            wire,
            json!({"v": 1, "channel": "content",
                   "body": {"type": "hello", "site": "google-groups", "engine": "fallback"}})
        );
        let back: Envelope = serde_json::from_value(wire).unwrap();
        assert_eq!(back, envelope);
    }

    #[test]
    fn refusals_serialise_with_a_code() {
        let wire = serde_json::to_value(Reply::Refused {
            error: Refusal::NotAllowed,
        })
        .unwrap();
        assert_eq!(
            wire,
            json!({"outcome": "refused", "error": {"code": "not_allowed"}})
        );
    }
}
