//! Phase 1, the URL: where a request's URL is built, from the client's base
//! URL, parsed once, plus the operation's path.
//!
//! progenitor writes `format!("{}/jobs/{}", client.baseurl, key)` and hands
//! the string to reqwest, which parses the whole URL again for every
//! request: scheme, host (through IDNA processing, even for an IP address)
//! and port, about 6,000 instructions a request for the same base. The
//! build step `url_from_parsed_base` (`codegen/post/url.rs`) has the generated
//! code call [`Inner::endpoint`](crate::hooks::Inner::endpoint) instead,
//! which copies the base parsed when the client was built ([`ParsedBase`])
//! and sets only the path. The result is the URL the old code produced:
//! [`ParsedBase::new`] checks that on a probe path and keeps no parsed base
//! when it differs, and a client without one (built by hand around a
//! different base URL) parses the whole URL as before.
//!
//! An operation whose path has no parameter (a search, the topology) has
//! the same URL on every call to the same base: the generated code keeps
//! it in a [`FixedPath`], one per operation, and each call copies it
//! ([`fixed_endpoint`]) instead of setting the path again, which parses and
//! percent-encodes it (about 1,000 instructions a request, two
//! allocations).
//!
//! # Operations served outside the API's base
//!
//! A contract may give an operation a server of its own: the Orchestration
//! Cluster API's `/cluster/v2/*` operations are served at the gateway's
//! root, without the API's `/v2`. The build step `operation_servers`
//! (`codegen/post/servers.rs`) derives from the contract how such a server
//! differs from the API's (a [`Rebase`]: trailing `/v2` removed) and has
//! the generated code build those URLs with [`rebased_endpoint`] (or a
//! [`FixedPath::rebased`]). The root is the configured address without its
//! `/v2`, not its host: `https://bru-2.zeebe.camunda.io/<cluster id>/v2`
//! gives `https://bru-2.zeebe.camunda.io/<cluster id>/cluster/v2/status`,
//! and a gateway behind a path prefix
//! (`CAMUNDA_REST_ADDRESS_EXACT=true`, `https://gw.example.com/prefix/v2`)
//! gives `https://gw.example.com/prefix/cluster/v2/status`.
//!
//! A base that does not end in the segments to remove (an exact address
//! without `/v2`, mapped by a gateway to the API's `/v2`) says nothing about
//! where the root is: such a call fails with
//! [`ApiError::InvalidRequest`](crate::ApiError::InvalidRequest) naming the
//! reason, before anything is sent, rather than going to an address that
//! serves something else.

use std::sync::OnceLock;

use url::Url;

/// A client's base URL, parsed once, with the path operations append to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParsedBase {
    /// The base URL as the generated client holds it.
    text: String,
    url: Url,
    /// The base's path as the text spells it: the paths of operations are
    /// appended to it (empty for a base without a path, where the parsed
    /// URL's path is `/`).
    path: String,
}

impl ParsedBase {
    /// `None` when `base` does not parse, has a query or a fragment, or
    /// when appending a path to the parsed form would give another URL than
    /// parsing the whole text does.
    pub(crate) fn new(base: &str) -> Option<Self> {
        let url = Url::parse(base).ok()?;
        if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
            return None;
        }
        let path = if url.path() == "/" && !base.ends_with('/') {
            String::new()
        } else {
            url.path().to_owned()
        };
        let parsed = Self {
            text: base.to_owned(),
            url,
            path,
        };
        const PROBE: [&str; 3] = ["/probe/", "a%2Fb c", "/end"];
        let whole = Url::parse(&join(base, &PROBE)).ok()?;
        (parsed.append(&PROBE) == whole).then_some(parsed)
    }

    /// The base with `parts` appended to its path.
    fn append(&self, parts: &[&str]) -> Url {
        let mut url = self.url.clone();
        url.set_path(&join(&self.path, parts));
        url
    }
}

/// `first` followed by `parts`, in one allocation.
fn join(first: &str, parts: &[&str]) -> String {
    let len = first.len() + parts.iter().map(|p| p.len()).sum::<usize>();
    let mut text = String::with_capacity(len);
    text.push_str(first);
    for part in parts {
        text.push_str(part);
    }
    text
}

/// The URL of a request to `baseurl` followed by `parts`: from `parsed` when
/// it is the parsed form of `baseurl`, else by parsing the joined text
/// (failing with a message naming the reason, never the URL, which may
/// carry a path parameter's value).
pub(crate) fn endpoint(
    parsed: Option<&ParsedBase>,
    baseurl: &str,
    parts: &[&str],
) -> Result<Url, String> {
    match parsed {
        Some(parsed) if parsed.text == baseurl => Ok(parsed.append(parts)),
        _ => Url::parse(&join(baseurl, parts))
            .map_err(|e| format!("the request URL does not parse: {e}")),
    }
}

/// How the server of an operation differs from its API's, as the contract
/// says (`codegen/post/servers.rs`): the trailing path segments `strip` of the
/// client's base URL replaced by `add`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rebase {
    strip: &'static str,
    add: &'static str,
}

impl Rebase {
    /// `strip` and `add`: path segments, each empty or starting with `/`.
    #[cfg_attr(not(feature = "orchestration"), allow(dead_code))] // only the Orchestration API has operations on servers of their own
    pub(crate) const fn new(strip: &'static str, add: &'static str) -> Self {
        Self { strip, add }
    }

    /// `baseurl` with its trailing `strip` replaced by `add` (trailing
    /// slashes ignored), or why it has none (without the URL, which is the
    /// user's).
    fn base(&self, baseurl: &str) -> Result<String, String> {
        let url =
            Url::parse(baseurl).map_err(|e| format!("the request URL does not parse: {e}"))?;
        // The path only: a host may be called `v2` too.
        let path = url.path().trim_end_matches('/');
        let kept = path.strip_suffix(self.strip).ok_or_else(|| {
            format!(
                "this operation is served outside the API's base URL: the contract's server for it is \
                 the API's without `{}`, and the client's base URL does not end in `{}`, so where it is \
                 served cannot be derived; use an address ending in `{}` (with \
                 CAMUNDA_REST_ADDRESS_EXACT=true, the part before it is where these operations are sent)",
                self.strip, self.strip, self.strip
            )
        })?;
        Ok(join(&url[..url::Position::BeforePath], &[kept, self.add]))
    }
}

/// The URL of a request to an operation served on `rebase` of `baseurl`,
/// followed by `parts`: the whole text is parsed on each call (only a few
/// rarely called operations have their own server and path parameters).
pub(crate) fn rebased_endpoint(
    baseurl: &str,
    rebase: Rebase,
    parts: &[&str],
) -> Result<Url, String> {
    endpoint(None, &rebase.base(baseurl)?, parts)
}

/// The path of an operation without path parameters, with its URL kept
/// for the first base it was built on (a process normally has one client
/// per API; a second base is built on every call, as any path is).
///
/// No `Debug`: the kept base URL is the user's, which may carry
/// credentials, and a static holds it for the life of the process.
pub(crate) struct FixedPath {
    path: &'static str,
    /// The operation's own server, when it is not the API's.
    rebase: Option<Rebase>,
    /// The base URL's text and the URL built on it.
    built: OnceLock<(Box<str>, Url)>,
}

impl FixedPath {
    /// The operation's `path` (as progenitor spells it, leading `/`), no
    /// URL built yet.
    pub(crate) const fn new(path: &'static str) -> Self {
        Self {
            path,
            rebase: None,
            built: OnceLock::new(),
        }
    }

    /// The `path` of an operation served on `rebase` of the client's base.
    #[cfg_attr(not(feature = "orchestration"), allow(dead_code))] // only the Orchestration API has operations on servers of their own
    pub(crate) const fn rebased(path: &'static str, rebase: Rebase) -> Self {
        Self {
            path,
            rebase: Some(rebase),
            built: OnceLock::new(),
        }
    }
}

/// The URL of `fixed`'s operation on `baseurl`: the one kept when it was
/// built on the same base, else [`endpoint`]'s (then kept if none was).
/// The URL depends on nothing but the base's text and the path, so the
/// kept one is the URL [`endpoint`] would give.
pub(crate) fn fixed_endpoint(
    parsed: Option<&ParsedBase>,
    baseurl: &str,
    fixed: &FixedPath,
) -> Result<Url, String> {
    if let Some((base, url)) = fixed.built.get()
        && **base == *baseurl
    {
        return Ok(url.clone());
    }
    let url = match fixed.rebase {
        None => endpoint(parsed, baseurl, &[fixed.path])?,
        Some(rebase) => rebased_endpoint(baseurl, rebase, &[fixed.path])?,
    };
    // Only the first base is kept: a client on another base copies nothing
    // here on each call just to have it refused.
    if fixed.built.get().is_none() {
        let _ = fixed.built.set((baseurl.into(), url.clone()));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the generated code did before: the whole text, parsed.
    fn whole(base: &str, parts: &[&str]) -> Url {
        Url::parse(&join(base, parts)).expect("parses")
    }

    #[test]
    fn the_parsed_base_gives_the_url_the_whole_text_gives() {
        let bases = [
            "http://127.0.0.1:8080",
            "http://localhost:8080/",
            "https://bru-2.zeebe.camunda.io/0f3c1b2a-aaaa-bbbb-cccc-123456789abc",
            "https://bru-2.zeebe.camunda.io/0f3c1b2a/v2",
            "https://camunda.example.com/orchestration/v2",
            "http://[::1]:26500/v1",
            "https://xn--bcher-kva.example/v2",
            "https://example.com/with%20space/v1",
        ];
        let operations: [&[&str]; 7] = [
            &["/topology"],
            &["/jobs/", "2251799813685249", "/completion"],
            &["/user-tasks/", "a%2Fb", "/assignment"],
            &["/documents/", "..", "/x"],
            &["/resources/", "caf%C3%A9"],
            // (parameters come percent-encoded, by progenitor's `encode_path`)
            &["/decision-definitions/", "a%20b%3Fc%23d"],
            &["/process-instances/search"],
        ];
        for base in bases {
            let parsed = ParsedBase::new(base).expect("a usable base");
            for parts in operations {
                assert_eq!(
                    endpoint(Some(&parsed), base, parts),
                    Ok(whole(base, parts)),
                    "{base} {parts:?}"
                );
            }
        }
    }

    #[test]
    fn a_base_with_a_query_or_that_does_not_parse_is_not_kept() {
        assert_eq!(ParsedBase::new("https://example.com/v2?x=1"), None);
        assert_eq!(ParsedBase::new("https://example.com/v2#top"), None);
        assert_eq!(ParsedBase::new("not a url"), None);
        assert_eq!(ParsedBase::new("mailto:someone@example.com"), None);
    }

    #[test]
    fn another_base_than_the_parsed_one_is_parsed_whole() {
        let parsed = ParsedBase::new("https://one.example.com/v2").expect("base");
        let url = endpoint(Some(&parsed), "https://two.example.com/v2", &["/topology"]);
        assert_eq!(
            url.map(String::from).as_deref(),
            Ok("https://two.example.com/v2/topology")
        );
        let url = endpoint(None, "http://localhost:8080", &["/v1/topology"]);
        assert_eq!(
            url.map(String::from).as_deref(),
            Ok("http://localhost:8080/v1/topology")
        );
    }

    #[test]
    fn a_fixed_path_gives_the_url_of_each_base_it_is_used_with() {
        static TOPOLOGY: FixedPath = FixedPath::new("/topology");
        let one = "https://one.example.com/v2";
        let two = "http://localhost:8080/v1";
        let parsed = ParsedBase::new(one).expect("base");
        for _ in 0..2 {
            for (parsed, base) in [(Some(&parsed), one), (None, two), (None, one)] {
                assert_eq!(
                    fixed_endpoint(parsed, base, &TOPOLOGY),
                    Ok(whole(base, &["/topology"])),
                    "{base}"
                );
            }
        }
        // The first base's URL is the one kept.
        let kept = TOPOLOGY
            .built
            .get()
            .map(|(base, url)| (&**base, url.as_str()));
        assert_eq!(kept, Some((one, "https://one.example.com/v2/topology")));
        static BROKEN: FixedPath = FixedPath::new("/topology");
        let error = fixed_endpoint(None, "http://exa mple.com", &BROKEN).expect_err("no URL");
        assert!(
            error.starts_with("the request URL does not parse"),
            "{error}"
        );
        assert!(BROKEN.built.get().is_none());
    }

    #[test]
    fn an_operation_on_its_own_server_drops_only_the_bases_version_segment() {
        let root = Rebase::new("/v2", "");
        let cases = [
            (
                "http://localhost:8080/v2",
                "http://localhost:8080/cluster/v2/status",
            ),
            (
                "http://localhost:8080/v2/",
                "http://localhost:8080/cluster/v2/status",
            ),
            (
                "https://bru-2.zeebe.camunda.io/0f3c1b2a/v2",
                "https://bru-2.zeebe.camunda.io/0f3c1b2a/cluster/v2/status",
            ),
            (
                "https://gw.example.com/prefix/v2",
                "https://gw.example.com/prefix/cluster/v2/status",
            ),
            ("https://v2/v2", "https://v2/cluster/v2/status"),
        ];
        for (base, expected) in cases {
            let url = rebased_endpoint(base, root, &["/cluster/v2/status"]);
            assert_eq!(url.map(String::from).as_deref(), Ok(expected), "{base}");
            static STATUS: FixedPath =
                FixedPath::rebased("/cluster/v2/status", Rebase::new("/v2", ""));
            let fixed = fixed_endpoint(None, base, &STATUS);
            assert_eq!(fixed.map(String::from).as_deref(), Ok(expected), "{base}");
        }
        let added = rebased_endpoint("https://h/api/v1", Rebase::new("/v1", "/v2"), &["/x/", "7"]);
        assert_eq!(
            added.map(String::from).as_deref(),
            Ok("https://h/api/v2/x/7")
        );
    }

    #[test]
    fn a_base_without_the_segment_to_drop_is_an_error_without_the_url() {
        static STATUS: FixedPath = FixedPath::rebased("/cluster/v2/status", Rebase::new("/v2", ""));
        for base in ["https://gw.example.com/secret-prefix", "https://v2"] {
            let error = fixed_endpoint(None, base, &STATUS).expect_err("no root");
            assert!(error.contains("does not end in `/v2`"), "{error}");
            assert!(!error.contains("secret-prefix"), "{error}");
        }
        assert!(STATUS.built.get().is_none());
    }

    #[test]
    fn a_url_that_does_not_parse_is_an_error_without_the_url() {
        let error =
            endpoint(None, "http://exa mple.com", &["/jobs/", "secret-key"]).expect_err("no URL");
        assert!(
            error.starts_with("the request URL does not parse"),
            "{error}"
        );
        assert!(!error.contains("secret-key"), "{error}");
    }
}
