//! The supported sites: one table (`sites!` below) declares each site's variant, id, display
//! name, hosts and how its groups are keyed. `Site`, [`Site::ALL`], the accessors, the wire names
//! (`wire::WireName`), the bundled packs (`pack::BUNDLED_SOURCES`) and the manifest's host lists
//! (written by `cargo xtask dist`) all come from it. Adding a site takes its entry here, its pack
//! (`extension/sitepacks/<id>.json`) and its fixture (`tests/sites/index.json`); see
//! `extension/sitepacks/README.md`.
//!
//! Layer: leaf (imports nothing of the crate).

use serde::{Deserialize, Serialize};

/// How a site's groups are told apart (a fact of the site, used by `model::GroupRef`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKeys {
    /// The page's URL never names the group: it is known by the title the page shows,
    /// normalised (WhatsApp Web).
    Title,
    /// The URL's path names the group: literal segments, and `{}` for each segment of the key,
    /// e.g. `"/groups/{}"`. More segments may follow. The key is the `{}` segments joined by `/`,
    /// each a plain id (ASCII letters, digits, `-`, `_`, `.`, `%`).
    Path(&'static str),
    /// The URL names the group in a shape of its own (ids with rules of their own): an arm of
    /// `model::GroupRef::from_url` and `model::normalise_key` reads it.
    Custom,
}

/// Declares the sites. Each entry: the variant, then `id` (stable: stored, sent between contexts,
/// the pack's file name and the serde name), `name` (shown to people; brand names, not
/// localised), `hosts` (where the extension runs) and `groups` ([`GroupKeys`]).
macro_rules! sites {
    ($(
        $(#[$doc:meta])*
        $variant:ident {
            id: $id:literal,
            name: $name:literal,
            hosts: [$($host:literal),+ $(,)?],
            groups: $groups:expr $(,)?
        }
    ),+ $(,)?) => {
        /// A social network Ask First knows. The serialised names are the ids: they are stored
        /// and sent between contexts, so they never change.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        pub enum Site {
            $($(#[$doc])* #[serde(rename = $id)] $variant,)+
        }

        impl Site {
            /// How many sites there are.
            pub const COUNT: usize = [$($id),+].len();

            /// Every site, in the table's order.
            pub const ALL: [Site; Site::COUNT] = [$(Site::$variant),+];

            /// Every site with its id (the wire names).
            pub const IDS: [(Site, &'static str); Site::COUNT] = [$((Site::$variant, $id)),+];

            /// The host names the extension runs on for this site. The per-browser manifests'
            /// match lists are written from these (`crate/xtask/src/manifest.rs`).
            pub fn hosts(self) -> &'static [&'static str] {
                match self {
                    $(Site::$variant => &[$($host),+],)+
                }
            }

            /// The stable identifier used in storage, messages, locale keys and pack file names.
            pub const fn id(self) -> &'static str {
                match self {
                    $(Site::$variant => $id,)+
                }
            }

            /// The name shown to people (not localised: these are brand names).
            pub fn display_name(self) -> &'static str {
                match self {
                    $(Site::$variant => $name,)+
                }
            }

            /// How this site's groups are keyed.
            pub fn group_keys(self) -> GroupKeys {
                match self {
                    $(Site::$variant => $groups,)+
                }
            }
        }

        /// Each site's bundled pack: `extension/sitepacks/<id>.json` without its layout
        /// whitespace (written by `build.rs`), with its file name. `pack::BUNDLED_SOURCES`.
        pub(crate) const PACK_SOURCES: [(Site, &str, &str); Site::COUNT] = [$((
            Site::$variant,
            concat!($id, ".json"),
            include_str!(concat!(env!("OUT_DIR"), "/sitepacks/", $id, ".json")),
        )),+];

        // A site without a pack file fails the build here (and at the `include_str!` above).
        $(const _: () = assert!(
            has_pack_file($id),
            concat!(
                "the site `", $id, "` (crate/core/src/site.rs) has no pack: add ",
                "extension/sitepacks/", $id, ".json"
            ),
        );)+
    };
}

sites! {
    /// Facebook groups: invitations; notices show in a feed, newest first (a pack fact).
    Facebook {
        id: "facebook",
        name: "Facebook",
        hosts: ["www.facebook.com", "web.facebook.com", "m.facebook.com"],
        groups: GroupKeys::Custom,
    },
    /// WhatsApp Web: no per-chat URL, so groups are keyed by title.
    Whatsapp {
        id: "whatsapp",
        name: "WhatsApp Web",
        hosts: ["web.whatsapp.com"],
        groups: GroupKeys::Title,
    },
    /// Telegram Web K and A: the chat is in the URL's fragment.
    Telegram {
        id: "telegram",
        name: "Telegram Web",
        hosts: ["web.telegram.org"],
        groups: GroupKeys::Custom,
    },
    Linkedin {
        id: "linkedin",
        name: "LinkedIn",
        hosts: ["www.linkedin.com"],
        groups: GroupKeys::Path("/groups/{}"),
    },
    GoogleGroups {
        id: "google-groups",
        name: "Google Groups",
        hosts: ["groups.google.com"],
        groups: GroupKeys::Custom,
    },
    Slack {
        id: "slack",
        name: "Slack",
        hosts: ["app.slack.com"],
        groups: GroupKeys::Custom,
    },
    Discord {
        id: "discord",
        name: "Discord",
        hosts: ["discord.com"],
        groups: GroupKeys::Custom,
    },
}

// The pack files `build.rs` found (`PACK_FILES`), each checked against the table: a pack file
// without a site fails the build with its name.
include!(concat!(env!("OUT_DIR"), "/sitepacks/files.rs"));

/// Whether two strings are equal, at compile time.
const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut at = 0;
    while at < a.len() {
        if a[at] != b[at] {
            return false;
        }
        at += 1;
    }
    true
}

/// Whether `extension/sitepacks/<id>.json` exists (as `build.rs` found it).
const fn has_pack_file(id: &str) -> bool {
    let mut at = 0;
    while at < PACK_FILES.len() {
        if same_str(PACK_FILES[at], id) {
            return true;
        }
        at += 1;
    }
    false
}

/// Whether a site in the table has this id.
const fn is_site_id(id: &str) -> bool {
    let mut at = 0;
    while at < Site::COUNT {
        if same_str(Site::IDS[at].1, id) {
            return true;
        }
        at += 1;
    }
    false
}

impl Site {
    /// The site with this id ([`Site::id`]), if any.
    pub fn from_id(id: &str) -> Option<Site> {
        Site::IDS
            .into_iter()
            .find(|(_, known)| *known == id)
            .map(|(site, _)| site)
    }

    /// Which site a host name belongs to. Exact match only (case-insensitive, a trailing dot
    /// ignored): a look-alike such as `facebook.com.evil.example` is not Facebook.
    pub fn from_host(host: &str) -> Option<Site> {
        let host = host.strip_suffix('.').unwrap_or(host);
        Site::ALL.into_iter().find(|site| {
            site.hosts()
                .iter()
                .any(|known| known.eq_ignore_ascii_case(host))
        })
    }

    /// Which site a full URL belongs to, for `https:` URLs only.
    pub fn from_url(url: &str) -> Option<Site> {
        let rest = url.strip_prefix("https://")?;
        // Byte-wise: every separator here is ASCII, so each cut is on a character boundary.
        let end = rest
            .bytes()
            .position(|b| matches!(b, b'/' | b'?' | b'#'))
            .unwrap_or(rest.len());
        let authority = rest.get(..end)?;
        // Userinfo (`user@host`) never appears on these sites; refuse rather than guess.
        if authority.as_bytes().contains(&b'@') {
            return None;
        }
        let host = match authority.bytes().rposition(|b| b == b':') {
            Some(colon) if authority.get(colon + 1..) == Some("443") => authority.get(..colon)?,
            Some(_) => return None,
            None => authority,
        };
        Site::from_host(host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_host_maps_back_to_its_site() {
        for site in Site::ALL {
            for host in site.hosts() {
                assert_eq!(Site::from_host(host), Some(site), "{host}");
                assert_eq!(Site::from_host(&host.to_uppercase()), Some(site));
            }
        }
    }

    #[test]
    fn urls_are_recognised_by_exact_host() {
        assert_eq!(
            Site::from_url("https://www.facebook.com/groups/123/"),
            Some(Site::Facebook)
        );
        assert_eq!(
            Site::from_url("https://web.telegram.org/k/#-1001303328644"),
            Some(Site::Telegram)
        );
        assert_eq!(
            Site::from_url("https://groups.google.com:443/g/x"),
            Some(Site::GoogleGroups)
        );
        assert_eq!(Site::from_url("https://discord.com"), Some(Site::Discord));
        assert_eq!(
            Site::from_url("https://discord.com?x=1"),
            Some(Site::Discord)
        );
        assert_eq!(
            Site::from_url("https://discord.com#a:b@c"),
            Some(Site::Discord)
        );
        assert_eq!(Site::from_url("https://discord.com:8443/"), None);
        assert_eq!(Site::from_url("https://discord.com:443:443/"), None);
        assert_eq!(Site::from_url("https://a@discord.com/"), None);
        assert_eq!(Site::from_url("https://:443/"), None);
        assert_eq!(Site::from_url("http://discord.com/"), None);
    }

    #[test]
    fn look_alikes_and_other_schemes_are_refused() {
        for url in [
            "http://www.facebook.com/groups/1",
            "https://facebook.com.evil.example/groups/1",
            "https://evil.example/www.facebook.com",
            "https://www.facebook.com@evil.example/",
            "https://www.facebook.com:8443/groups/1",
            "https://notdiscord.com/channels/@me/1",
            "",
            "https://",
        ] {
            assert_eq!(Site::from_url(url), None, "{url}");
        }
    }

    #[test]
    fn ids_are_unique_and_match_serde_names() {
        let mut seen = std::collections::BTreeSet::new();
        for site in Site::ALL {
            assert!(seen.insert(site.id()));
            assert_eq!(
                serde_json::to_value(site).unwrap(),
                serde_json::Value::String(site.id().into())
            );
        }
    }
}
