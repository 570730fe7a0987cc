//! The supported sites and how a page's host maps to one of them.

use serde::{Deserialize, Serialize};

/// A social network Ask First knows. The serialised names are stable: they are stored and sent
/// between contexts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Site {
    Facebook,
    Whatsapp,
    Telegram,
    Linkedin,
    GoogleGroups,
    Slack,
    Discord,
}

impl Site {
    pub const ALL: [Site; 7] = [
        Site::Facebook,
        Site::Whatsapp,
        Site::Telegram,
        Site::Linkedin,
        Site::GoogleGroups,
        Site::Slack,
        Site::Discord,
    ];

    /// The host names the extension runs on for this site. The manifest's match patterns are
    /// checked against this list by a test, so the two cannot drift apart.
    pub fn hosts(self) -> &'static [&'static str] {
        match self {
            Site::Facebook => &["www.facebook.com", "web.facebook.com", "m.facebook.com"],
            Site::Whatsapp => &["web.whatsapp.com"],
            Site::Telegram => &["web.telegram.org"],
            Site::Linkedin => &["www.linkedin.com"],
            Site::GoogleGroups => &["groups.google.com"],
            Site::Slack => &["app.slack.com"],
            Site::Discord => &["discord.com"],
        }
    }

    /// The stable identifier used in storage, messages and locale keys.
    pub fn id(self) -> &'static str {
        match self {
            Site::Facebook => "facebook",
            Site::Whatsapp => "whatsapp",
            Site::Telegram => "telegram",
            Site::Linkedin => "linkedin",
            Site::GoogleGroups => "google-groups",
            Site::Slack => "slack",
            Site::Discord => "discord",
        }
    }

    /// The name shown to people (not localised: these are brand names).
    pub fn display_name(self) -> &'static str {
        match self {
            Site::Facebook => "Facebook",
            Site::Whatsapp => "WhatsApp Web",
            Site::Telegram => "Telegram Web",
            Site::Linkedin => "LinkedIn",
            Site::GoogleGroups => "Google Groups",
            Site::Slack => "Slack",
            Site::Discord => "Discord",
        }
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
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        // Userinfo (`user@host`) never appears on these sites; refuse rather than guess.
        if authority.contains('@') {
            return None;
        }
        let host = match authority.rsplit_once(':') {
            Some((host, "443")) => host,
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
