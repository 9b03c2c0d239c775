//! Recognising what a URL points to, and the API address that serves it.

use reqwest::Url;

use super::error::FetchError;

/// The address that serves claude.ai's API when no other base URL is configured.
pub const DEFAULT_BASE_URL: &str = "https://claude.ai";

/// Hosts whose share and published-artifact links are recognised.
const CLAUDE_HOSTS: [&str; 3] = ["claude.ai", "www.claude.ai", "claude.site"];

/// The kind of resource that a URL points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkKind {
    /// A share link, `claude.ai/share/<id>`, served by the `chat_snapshots` API.
    Share { id: String },
    /// A published artifact, `claude.site/artifacts/<id>` or `claude.ai/public/artifacts/<id>`,
    /// served by the `published_artifacts` API.
    Published { id: String },
    /// Any other URL, fetched as it is: JSON or an export's zip.
    Document,
}

/// A URL given as input, and the address it is fetched from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The URL as given, used in messages.
    pub url: String,
    pub kind: LinkKind,
    /// The requested address: an API address below the base URL, or the URL itself.
    pub fetch_url: Url,
}

impl Link {
    /// Recognises `url` and maps share and published-artifact links onto `base`, the
    /// address of claude.ai's API (or a test server or proxy standing in for it).
    pub fn parse(url: &str, base: &Url) -> Result<Self, FetchError> {
        let parsed = Url::parse(url.trim()).map_err(|err| FetchError::InvalidUrl {
            url: url.to_owned(),
            reason: err.to_string(),
        })?;
        check_scheme(url, &parsed)?;
        let host = parsed.host_str().unwrap_or_default().to_ascii_lowercase();
        let known_host = CLAUDE_HOSTS.contains(&host.as_str()) || same_origin(&parsed, base);
        let segments: Vec<&str> = parsed
            .path_segments()
            .map(|segments| segments.filter(|segment| !segment.is_empty()).collect())
            .unwrap_or_default();

        let kind = match (known_host, segments.as_slice()) {
            (true, ["share", id] | ["api", "chat_snapshots", id]) => LinkKind::Share {
                id: check_id(url, id)?,
            },
            (true, ["public", "artifacts", id] | ["api", "published_artifacts", id]) => {
                LinkKind::Published {
                    id: check_id(url, id)?,
                }
            }
            (true, ["artifacts", id]) if host == "claude.site" || same_origin(&parsed, base) => {
                LinkKind::Published {
                    id: check_id(url, id)?,
                }
            }
            (true, ["chat", ..]) => {
                return Err(FetchError::ChatLink {
                    url: url.to_owned(),
                });
            }
            (true, _) if CLAUDE_HOSTS.contains(&host.as_str()) => {
                return Err(FetchError::InvalidUrl {
                    url: url.to_owned(),
                    reason: "it is neither a share link (claude.ai/share/<id>) nor a published \
                             artifact link (claude.ai/public/artifacts/<id>)"
                        .to_owned(),
                });
            }
            _ => LinkKind::Document,
        };
        let fetch_url = match &kind {
            LinkKind::Share { id } => api_url(
                base,
                &["api", "chat_snapshots", id],
                "rendering_mode=messages&render_all_tools=true",
            ),
            LinkKind::Published { id } => api_url(base, &["api", "published_artifacts", id], ""),
            LinkKind::Document => parsed,
        };
        Ok(Self {
            url: url.to_owned(),
            kind,
            fetch_url,
        })
    }
}

/// Parses the configured base URL of claude.ai's API.
pub fn parse_base_url(base: &str) -> Result<Url, FetchError> {
    let parsed = Url::parse(base.trim()).map_err(|err| FetchError::InvalidBaseUrl {
        base: base.to_owned(),
        reason: err.to_string(),
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.cannot_be_a_base() {
        return Err(FetchError::InvalidBaseUrl {
            base: base.to_owned(),
            reason: "it must be an http or https address such as https://claude.ai".to_owned(),
        });
    }
    Ok(parsed)
}

fn check_scheme(url: &str, parsed: &Url) -> Result<(), FetchError> {
    match parsed.scheme() {
        "http" | "https" => Ok(()),
        scheme => Err(FetchError::UnsupportedScheme {
            url: url.to_owned(),
            scheme: scheme.to_owned(),
        }),
    }
}

fn same_origin(url: &Url, base: &Url) -> bool {
    url.scheme() == base.scheme()
        && url.host_str() == base.host_str()
        && url.port_or_known_default() == base.port_or_known_default()
}

/// Accepts the id of a share link or published artifact: letters, digits, `-` and `_`.
fn check_id(url: &str, id: &str) -> Result<String, FetchError> {
    let valid = !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_');
    if valid {
        Ok(id.to_owned())
    } else {
        Err(FetchError::InvalidUrl {
            url: url.to_owned(),
            reason: format!("`{id}` is not a valid link id; copy the whole link again"),
        })
    }
}

/// Joins path segments onto `base`, keeping any path the base already has (a proxy prefix).
fn api_url(base: &Url, segments: &[&str], query: &str) -> Url {
    let mut url = base.clone();
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url.set_query((!query.is_empty()).then_some(query));
    url.set_fragment(None);
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        parse_base_url(DEFAULT_BASE_URL).expect("valid base")
    }

    #[test]
    fn share_link_maps_to_snapshot_api() {
        let link = Link::parse(
            "https://claude.ai/share/0b6e1f6e-1c1d-4a8e-9a49-5d4a7f0a2b3c",
            &base(),
        )
        .expect("valid link");
        assert_eq!(
            link.fetch_url.as_str(),
            "https://claude.ai/api/chat_snapshots/0b6e1f6e-1c1d-4a8e-9a49-5d4a7f0a2b3c\
             ?rendering_mode=messages&render_all_tools=true"
        );
        assert!(matches!(link.kind, LinkKind::Share { .. }));
    }

    #[test]
    fn share_link_follows_base_url() {
        let base = parse_base_url("http://127.0.0.1:8080/proxy/").expect("valid base");
        let link =
            Link::parse("https://claude.ai/share/abc-123?x=1#top", &base).expect("valid link");
        assert_eq!(
            link.fetch_url.as_str(),
            "http://127.0.0.1:8080/proxy/api/chat_snapshots/abc-123\
             ?rendering_mode=messages&render_all_tools=true"
        );
    }

    #[test]
    fn share_link_on_base_host_is_recognised() {
        let base = parse_base_url("http://127.0.0.1:8080").expect("valid base");
        let link = Link::parse("http://127.0.0.1:8080/share/abc", &base).expect("valid link");
        assert_eq!(
            link.kind,
            LinkKind::Share {
                id: "abc".to_owned()
            }
        );
    }

    #[test]
    fn published_links_map_to_artifact_api() {
        for url in [
            "https://claude.site/artifacts/5f1d2c3b-aaaa-4bbb-8ccc-123456789abc",
            "https://claude.ai/public/artifacts/5f1d2c3b-aaaa-4bbb-8ccc-123456789abc/",
        ] {
            let link = Link::parse(url, &base()).expect("valid link");
            assert_eq!(
                link.fetch_url.as_str(),
                "https://claude.ai/api/published_artifacts/5f1d2c3b-aaaa-4bbb-8ccc-123456789abc",
                "{url}"
            );
        }
    }

    #[test]
    fn other_hosts_are_documents() {
        let link = Link::parse("https://example.org/export/conversations.json", &base())
            .expect("valid link");
        assert_eq!(link.kind, LinkKind::Document);
        assert_eq!(
            link.fetch_url.as_str(),
            "https://example.org/export/conversations.json"
        );
    }

    #[test]
    fn chat_link_is_rejected_with_advice() {
        let err = Link::parse("https://claude.ai/chat/0b6e1f6e", &base()).expect_err("rejected");
        assert!(err.to_string().contains("Share"), "{err}");
    }

    #[test]
    fn other_claude_pages_are_rejected() {
        let err = Link::parse("https://claude.ai/settings", &base()).expect_err("rejected");
        assert!(err.to_string().contains("share link"), "{err}");
    }

    #[test]
    fn other_schemes_are_rejected() {
        for url in ["ftp://claude.ai/share/abc", "file:///etc/passwd"] {
            let err = Link::parse(url, &base()).expect_err("rejected");
            assert!(matches!(err, FetchError::UnsupportedScheme { .. }), "{url}");
        }
    }

    #[test]
    fn bad_id_is_rejected() {
        let err = Link::parse("https://claude.ai/share/a%2Fb", &base()).expect_err("rejected");
        assert!(err.to_string().contains("not a valid link id"), "{err}");
    }

    #[test]
    fn base_url_must_be_http() {
        assert!(parse_base_url("file:///tmp").is_err());
        assert!(parse_base_url("claude.ai").is_err());
        assert!(parse_base_url("https://claude.ai").is_ok());
    }
}
