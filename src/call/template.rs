//! Phase 3, before the first attempt: what a request is sent again from,
//! kept without copying the request.
//!
//! A request may have to be sent more than once: refused unprocessed, under
//! backpressure, or with a renewed credential after a 401. reqwest consumes
//! the request it sends, so the exchange keeps a [`Template`] of it. Taking
//! a copy of the whole request for that (its URL, its header map, its
//! extension map) cost three allocations and about 1,100 instructions on
//! every call, nearly all of which are answered the first time.
//!
//! A template therefore keeps only what cannot be recovered, in place:
//!
//! - method, version and timeout;
//! - up to [`FEW`] headers (a generated request has three or four:
//!   `Accept`, `Content-Type`, the credential, `User-Agent`), each a
//!   reference-counted copy; a request with more keeps a copy of its map;
//! - the body: none, or a copy of a small one; a large body keeps a copy of
//!   the whole request (its bytes are shared, not copied), and a streamed
//!   body cannot be repeated at all (the request is then sent once);
//! - a fingerprint of the URL.
//!
//! The URL comes back with the first outcome: reqwest puts it on every
//! response ([`reqwest::Response::url`]) and on the errors of a request
//! sent ([`reqwest::Error::url`]). Both give the URL the answer came from,
//! which is another one after a redirect; the fingerprint tells them apart,
//! and a redirected request is never sent again from its template (its
//! credential would go to the redirect's target, which reqwest itself
//! strips when following a redirect to another host).

use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Version};
use reqwest::Request;
use url::Url;

/// How many headers a template keeps in place.
const FEW: usize = 4;

/// The largest body a template copies; a larger one is shared with a copy
/// of the whole request (reqwest's own clone).
const SMALL_BODY: usize = 4 * 1024;

/// What a request is sent again from (see the
/// [module documentation](self)).
pub(crate) struct Template {
    method: Method,
    version: Version,
    timeout: Option<Duration>,
    headers: Headers,
    body: Repeat,
    /// [`fingerprint`] of the URL the request was sent to.
    url: u64,
}

/// A template's headers.
#[expect(
    clippy::large_enum_variant,
    reason = "in place on purpose: boxing them is the allocation this saves"
)]
enum Headers {
    /// Up to [`FEW`], in the request's order.
    Few([Option<(HeaderName, HeaderValue)>; FEW]),
    /// More: a copy of the map.
    Many(Box<HeaderMap>),
}

/// How a template's body is repeated.
enum Repeat {
    /// The request has no body.
    Nothing,
    /// A copy of a small body.
    Small(Bytes),
    /// A copy of the whole request, for a large body: reqwest's clone
    /// shares the body's bytes.
    Whole(Box<Request>),
    /// A streamed body: the request cannot be repeated.
    Never,
}

impl Template {
    /// The template of `request`, taken before it is sent.
    pub(crate) fn of(request: &Request) -> Self {
        let body = match request.body() {
            None => Repeat::Nothing,
            Some(body) => match body.as_bytes() {
                Some(bytes) if bytes.len() <= SMALL_BODY => {
                    Repeat::Small(Bytes::copy_from_slice(bytes))
                }
                _ => match request.try_clone() {
                    Some(whole) => Repeat::Whole(Box::new(whole)),
                    None => Repeat::Never,
                },
            },
        };
        Self {
            method: request.method().clone(),
            version: request.version(),
            timeout: request.timeout().copied(),
            headers: Headers::of(request.headers()),
            body,
            url: fingerprint(request.url()),
        }
    }

    /// The request's method.
    pub(crate) fn method(&self) -> &Method {
        &self.method
    }

    /// Whether the request can be sent again (its body is not a stream).
    pub(crate) fn repeatable(&self) -> bool {
        !matches!(self.body, Repeat::Never)
    }

    /// Whether `url` is the URL the request was sent to (not where a
    /// redirect led).
    pub(crate) fn sent_to(&self, url: &Url) -> bool {
        fingerprint(url) == self.url
    }

    /// The request again, to `url`; `None` when its body cannot be
    /// repeated.
    pub(crate) fn request(&self, url: Url) -> Option<Request> {
        let body = match &self.body {
            Repeat::Nothing => None,
            Repeat::Small(bytes) => Some(reqwest::Body::from(bytes.clone())),
            Repeat::Whole(whole) => {
                // The headers are the template's (a renewed credential).
                let mut request = whole.try_clone()?;
                *request.url_mut() = url;
                *request.headers_mut() = self.headers.to_map();
                return Some(request);
            }
            Repeat::Never => return None,
        };
        let mut request = Request::new(self.method.clone(), url);
        *request.version_mut() = self.version;
        if self.timeout.is_some() {
            *request.timeout_mut() = self.timeout;
        }
        *request.headers_mut() = self.headers.to_map();
        *request.body_mut() = body;
        Some(request)
    }

    /// The (first) value of header `name`.
    pub(crate) fn header(&self, name: &HeaderName) -> Option<&HeaderValue> {
        match &self.headers {
            Headers::Few(few) => few
                .iter()
                .flatten()
                .find(|(n, _)| n == name)
                .map(|(_, value)| value),
            Headers::Many(map) => map.get(name),
        }
    }

    /// Sets header `name` to `value` alone (a renewed credential).
    pub(crate) fn set_header(&mut self, name: HeaderName, value: HeaderValue) {
        if let Headers::Few(few) = &mut self.headers {
            for slot in few.iter_mut() {
                if slot.as_ref().is_some_and(|(n, _)| *n == name) {
                    *slot = None;
                }
            }
            if let Some(slot) = few.iter_mut().find(|slot| slot.is_none()) {
                *slot = Some((name, value));
                return;
            }
            self.headers = Headers::Many(Box::new(self.headers.to_map()));
        }
        if let Headers::Many(map) = &mut self.headers {
            map.insert(name, value);
        }
    }
}

impl Headers {
    fn of(map: &HeaderMap) -> Self {
        if map.len() > FEW {
            return Headers::Many(Box::new(map.clone()));
        }
        let mut few = [const { None }; FEW];
        for (slot, (name, value)) in few.iter_mut().zip(map) {
            *slot = Some((name.clone(), value.clone()));
        }
        Headers::Few(few)
    }

    fn to_map(&self) -> HeaderMap {
        match self {
            Headers::Few(few) => {
                let mut map = HeaderMap::with_capacity(FEW);
                for (name, value) in few.iter().flatten() {
                    map.append(name.clone(), value.clone());
                }
                map
            }
            Headers::Many(map) => (**map).clone(),
        }
    }
}

/// A 64-bit fingerprint of `url`'s text, to tell the URL a request was sent
/// to from another without keeping a copy (word-wise multiply-rotate; not
/// for adversaries, who do not choose both URLs).
fn fingerprint(url: &Url) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let text = url.as_str().as_bytes();
    let mut hash = text.len() as u64;
    let mut chunks = text.chunks_exact(8);
    for chunk in chunks.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let mut word = [0u8; 8];
    let rest = chunks.remainder();
    word[..rest.len()].copy_from_slice(rest);
    (hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};

    fn url(text: &str) -> Url {
        Url::parse(text).expect("url")
    }

    fn request(headers: &[(HeaderName, &'static str)], body: Option<Vec<u8>>) -> Request {
        let mut request = Request::new(Method::POST, url("http://127.0.0.1:8080/v2/jobs/search"));
        for (name, value) in headers {
            request
                .headers_mut()
                .append(name.clone(), HeaderValue::from_static(value));
        }
        *request.version_mut() = Version::HTTP_11;
        *request.timeout_mut() = Some(Duration::from_secs(7));
        *request.body_mut() = body.map(reqwest::Body::from);
        request
    }

    /// Everything but the body, compared; and the body's bytes.
    fn parts(request: &Request) -> (String, String, Version, Option<Duration>, Vec<String>) {
        let headers = request
            .headers()
            .iter()
            .map(|(n, v)| format!("{n}: {v:?} {}", v.is_sensitive()))
            .collect();
        (
            request.method().to_string(),
            request.url().to_string(),
            request.version(),
            request.timeout().copied(),
            headers,
        )
    }

    fn body(request: &Request) -> Option<Vec<u8>> {
        request
            .body()
            .map(|b| b.as_bytes().expect("reusable").to_vec())
    }

    #[test]
    fn a_request_is_rebuilt_as_it_was_for_every_body_and_header_count() {
        let few = [
            (ACCEPT, "application/json"),
            (CONTENT_TYPE, "application/json"),
            (USER_AGENT, "camunda8"),
        ];
        let many = [
            (ACCEPT, "application/json"),
            (ACCEPT, "text/plain"),
            (CONTENT_TYPE, "application/json"),
            (USER_AGENT, "camunda8"),
            (HeaderName::from_static("x-one"), "1"),
        ];
        let bodies = [
            None,
            Some(b"{\"filter\":{}}".to_vec()),
            Some(vec![b'x'; SMALL_BODY + 1]),
        ];
        for headers in [&few[..], &many[..]] {
            for body_bytes in &bodies {
                let mut original = request(headers, body_bytes.clone());
                original.headers_mut().insert(AUTHORIZATION, {
                    let mut v = HeaderValue::from_static("Bearer t");
                    v.set_sensitive(true);
                    v
                });
                let template = Template::of(&original);
                let again = template
                    .request(original.url().clone())
                    .expect("repeatable");
                assert_eq!(parts(&again), parts(&original));
                assert_eq!(body(&again), body(&original));
            }
        }
    }

    #[test]
    fn a_renewed_credential_replaces_the_old_one_in_any_form() {
        for extra in [0, 3] {
            let mut original = request(&[(ACCEPT, "application/json")], None);
            for i in 0..extra {
                original.headers_mut().append(
                    HeaderName::from_static("x-extra"),
                    HeaderValue::from(i as u16),
                );
            }
            original
                .headers_mut()
                .insert(AUTHORIZATION, HeaderValue::from_static("Bearer old"));
            let mut template = Template::of(&original);
            assert_eq!(
                template.header(&AUTHORIZATION),
                Some(&HeaderValue::from_static("Bearer old"))
            );
            template.set_header(AUTHORIZATION, HeaderValue::from_static("Bearer new"));
            // A fifth header while there were four: the template grows.
            template.set_header(USER_AGENT, HeaderValue::from_static("camunda8"));
            let again = template.request(original.url().clone()).expect("again");
            let values: Vec<_> = again.headers().get_all(AUTHORIZATION).iter().collect();
            assert_eq!(values, [&HeaderValue::from_static("Bearer new")]);
            assert_eq!(again.headers().len(), 3 + extra);
            assert_eq!(again.headers()[ACCEPT], "application/json");
        }
    }

    #[test]
    fn only_the_url_sent_to_is_sent_to_again() {
        let original = request(&[], None);
        let template = Template::of(&original);
        let sent = url("http://127.0.0.1:8080/v2/jobs/search");
        assert!(template.sent_to(&sent));
        for other in [
            "http://127.0.0.1:8080/v2/jobs/searcH",
            "http://127.0.0.1:8081/v2/jobs/search",
            "https://elsewhere.example.com/v2/jobs/search",
            "http://127.0.0.1:8080/v2/jobs/search?x",
        ] {
            assert!(!template.sent_to(&url(other)), "{other}");
        }
    }

    #[test]
    fn a_streamed_body_is_not_repeated() {
        let mut original = request(&[], None);
        let stream = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"x"))]);
        *original.body_mut() = Some(reqwest::Body::wrap_stream(stream));
        let template = Template::of(&original);
        assert!(!template.repeatable());
        assert!(template.request(original.url().clone()).is_none());
        assert_eq!(template.method(), Method::POST);
    }
}
