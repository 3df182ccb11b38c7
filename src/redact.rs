//! The one place where a response body becomes text that may be printed.
//!
//! Every body an error keeps ([`crate::ApiError`]) passes through
//! [`redact_body`] first, which censors:
//!
//! - the values the contract marks secret for that operation (the build
//!   lists them per operation as patterns such as `/clientSecret` or `/*`
//!   for a map of secrets; see `codegen/post/error_type.rs`), and
//! - the value of any JSON key naming a secret, a token, a password, a
//!   credential, a cookie or an authorization (case-insensitive, any
//!   casing: `clientSecret`, `access_token`, `password`, `secretValue`,
//!   `credentials`), whatever its type,
//!
//! then cuts the result to [`BODY_LIMIT`] bytes. A body that is not JSON is
//! scanned for `key=value` and `key: value` pairs with such keys; when the
//! operation's contract has secret fields, a non-JSON body is not quoted at
//! all (there is no way to find the secret in it).
//!
//! Token-endpoint bodies are never quoted: [`shape`] describes them by their
//! field names and value kinds only.
//!
//! URLs are shown (in errors, logs and `Debug` output) only through
//! [`redact_url`]: without user-info, query or fragment, which may carry
//! credentials (`user:pass@`, `?client_secret=…`). [`RedactedUrl`] and
//! [`RedactedUrlText`] do the same for `Debug` fields, the latter for text
//! that may not even parse as a URL.

use std::fmt;

use serde_json::Value;
use url::Url;

/// The most of a body an error keeps, in bytes (of the redacted text).
pub(crate) const BODY_LIMIT: usize = 4096;

/// What a censored value is replaced by (as [`crate::Secret`] prints).
pub(crate) const CENSORED: &str = "[censored]";

/// A key names a secret when, lower-cased and without separators, it
/// contains one of these (plurals and compounds included: `credentials`,
/// `apitoken`, `secretvalue`, `set-cookie`).
const SECRET_WORDS: [&str; 7] = [
    "secret",
    "token",
    "password",
    "passwd",
    "credential",
    "cookie",
    "authorization",
];

/// A body made safe to print.
#[derive(Debug, Clone, Default)]
pub(crate) struct Redacted {
    /// The redacted body, at most [`BODY_LIMIT`] bytes plus an ellipsis.
    pub text: String,
    /// The parsed, redacted JSON (when the body was JSON), for reading the
    /// server's message from it.
    pub json: Option<Value>,
    /// The string forms of the values that were censored, so that other text
    /// derived from the same body (a decoder's message) can be cleaned too.
    pub censored: Vec<String>,
}

/// Whether a JSON key (or header name) names a secret: lower-cased and
/// without separators, it contains one of [`SECRET_WORDS`] (`clientSecret`,
/// `access_token`, `Password`, `secretValue`, `credentials`, `X-Auth-Token`).
/// Names such as `secretName` are caught too: an error shows less rather
/// than a secret.
pub(crate) fn is_secret_key(key: &str) -> bool {
    let flat: String = key
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_WORDS.iter().any(|w| flat.contains(w))
}

/// Redacts a response body for an error (see the [module docs](self)).
///
/// `secret_paths` are the contract's secret locations for the operation:
/// JSON-pointer-like patterns in which `*` matches any key or index, and
/// `""` means the whole body.
pub(crate) fn redact_body(body: &[u8], secret_paths: &[&str]) -> Redacted {
    if body.is_empty() {
        return Redacted::default();
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(mut json) => {
            let patterns: Vec<Vec<&str>> = secret_paths.iter().map(|p| segments(p)).collect();
            let mut censored = Vec::new();
            let mut path = Vec::new();
            censor(&mut json, &mut path, &patterns, &mut censored);
            let text = bounded(json.to_string());
            Redacted {
                text,
                json: Some(json),
                censored,
            }
        }
        Err(_) if !secret_paths.is_empty() => Redacted {
            text: format!(
                "[{} bytes, not JSON; not shown: this response may hold secrets]",
                body.len()
            ),
            ..Redacted::default()
        },
        Err(_) => {
            let (text, censored) = censor_text(&String::from_utf8_lossy(body));
            Redacted {
                text: bounded(text),
                json: None,
                censored,
            }
        }
    }
}

/// Removes the headers that carry credentials: `Set-Cookie`, `Cookie`,
/// `Authorization`, `Proxy-Authorization`, and any whose name names a
/// secret (see [`is_secret_key`]).
pub(crate) fn redact_headers(headers: &mut http::HeaderMap) {
    let names: Vec<http::HeaderName> = headers
        .keys()
        .filter(|name| {
            is_secret_key(name.as_str())
                || *name == http::header::PROXY_AUTHORIZATION
                || *name == http::header::PROXY_AUTHENTICATE
        })
        .cloned()
        .collect();
    for name in names {
        headers.remove(&name);
    }
}

/// Removes from `message` every quoted part (between `"` or `` ` ``) that
/// holds one of `censored`: a decoder's message may quote the value it
/// could not decode.
pub(crate) fn scrub_message(message: &str, censored: &[String]) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find(['"', '`']) {
        let quote = rest[open..].chars().next().unwrap_or('"');
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(quote) else {
            // An unterminated quote: treat the rest as its content.
            if censored
                .iter()
                .any(|c| !c.is_empty() && after.contains(c.as_str()))
            {
                out.push_str(CENSORED);
            } else {
                out.push_str(after);
            }
            return out;
        };
        let inner = &after[..close];
        if censored
            .iter()
            .any(|c| !c.is_empty() && inner.contains(c.as_str()))
        {
            out.push_str(CENSORED);
        } else {
            out.push_str(inner);
        }
        out.push(quote);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// A description of a token-endpoint body that quotes no value: the field
/// names and value kinds of a JSON object (`{"accessToken": string,
/// "tokenType": string}`), the kind of other JSON, or the size of a body
/// that is not JSON.
pub(crate) fn shape(body: &[u8]) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        return "empty".into();
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => {
            let fields: Vec<String> = map
                .iter()
                .take(20)
                .map(|(k, v)| {
                    let key: String = k.chars().take(40).collect();
                    format!("{key:?}: {}", kind(v))
                })
                .collect();
            let more = if map.len() > 20 { ", …" } else { "" };
            format!("{{{}{more}}}", fields.join(", "))
        }
        Ok(other) => format!("a JSON {}", kind(&other)),
        Err(_) => format!("{} bytes, not JSON", body.len()),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn segments(pattern: &str) -> Vec<&str> {
    pattern.split('/').filter(|s| !s.is_empty()).collect()
}

fn matches(pattern: &[&str], path: &[String]) -> bool {
    pattern.len() == path.len() && pattern.iter().zip(path).all(|(p, s)| *p == "*" || p == s)
}

/// Censors `value` in place where a pattern matches `path` or a key names a
/// secret; records the censored values.
fn censor(
    value: &mut Value,
    path: &mut Vec<String>,
    patterns: &[Vec<&str>],
    censored: &mut Vec<String>,
) {
    if patterns.iter().any(|p| matches(p, path)) {
        take(value, censored);
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if is_secret_key(key) {
                    take(inner, censored);
                    continue;
                }
                path.push(key.clone());
                censor(inner, path, patterns, censored);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter_mut().enumerate() {
                path.push(index.to_string());
                censor(inner, path, patterns, censored);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Replaces a value (of any type, `null` excepted) by the marker, collecting
/// the scalars it held.
fn take(value: &mut Value, censored: &mut Vec<String>) {
    collect_scalars(value, censored);
    if !value.is_null() {
        *value = Value::String(CENSORED.into());
    }
}

fn collect_scalars(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Bool(_) | Value::Null => {}
        Value::Array(items) => items.iter().for_each(|v| collect_scalars(v, out)),
        Value::Object(map) => map.values().for_each(|v| collect_scalars(v, out)),
    }
}

/// Censors `key=value`, `key: value` and `"key": "value"` pairs whose key
/// names a secret in a body that is not JSON (a form, a broken JSON
/// document, an HTML page).
fn censor_text(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut censored = Vec::new();
    let mut rest = text;
    while let Some(sep) = rest.find(['=', ':']) {
        let (before, after) = rest.split_at(sep);
        let key: String = before
            .chars()
            .rev()
            .skip_while(|c| *c == '"' || *c == '\'' || c.is_whitespace())
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        out.push_str(before);
        out.push_str(&after[..1]);
        let value_part = &after[1..];
        if key.is_empty() || !is_secret_key(&key) {
            rest = value_part;
            continue;
        }
        let lead = value_part.len() - value_part.trim_start().len();
        out.push_str(&value_part[..lead]);
        let value = &value_part[lead..];
        let (inner, consumed) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => match value[1..].find(q) {
                Some(close) => (&value[1..=close], close + 2),
                None => (&value[1..], value.len()),
            },
            _ => {
                let end = value
                    .find(|c: char| c.is_whitespace() || matches!(c, '&' | ',' | ';' | '<' | '}'))
                    .unwrap_or(value.len());
                (&value[..end], end)
            }
        };
        if !inner.is_empty() {
            censored.push(inner.to_string());
        }
        out.push_str(CENSORED);
        rest = &value[consumed..];
    }
    out.push_str(rest);
    (out, censored)
}

/// Cuts `text` to [`BODY_LIMIT`] bytes at a character boundary.
fn bounded(mut text: String) -> String {
    if text.len() <= BODY_LIMIT {
        return text;
    }
    let mut end = BODY_LIMIT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.truncate(end);
    text.push('…');
    text
}

/// The URL as text without user-info, query or fragment: safe to show.
///
/// The one URL redaction of the crate: errors, logs and `Debug` output
/// show a URL only through this (also reachable as `camunda8::urls::redact`).
pub fn redact_url(url: &Url) -> String {
    let mut shown = url.clone();
    // Both setters only fail for URLs that cannot have credentials at all.
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    shown.set_fragment(None);
    shown.to_string()
}

/// A URL that prints through `Debug` as [`redact_url`] shows it: for the
/// `Debug` implementations of configuration types.
pub(crate) struct RedactedUrl<'a>(pub(crate) &'a Url);

impl fmt::Debug for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&redact_url(self.0), f)
    }
}

/// Text meant to be a URL (a variable, a builder argument, a base URL), as
/// safe to show: parsed and [`redact_url`]ed, or, if it does not parse, with
/// anything that looks like user-info, a query or a fragment removed.
pub(crate) fn redact_url_text(raw: &str) -> String {
    match Url::parse(raw.trim()) {
        Ok(url) => redact_url(&url),
        Err(_) => redact_userinfo_text(raw),
    }
}

/// Text meant to be a URL that prints through `Debug` as
/// [`redact_url_text`] shows it.
pub(crate) struct RedactedUrlText<'a>(pub(crate) &'a str);

impl fmt::Debug for RedactedUrlText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&redact_url_text(self.0), f)
    }
}

/// Best effort for text that is not even a URL: drop anything between
/// `://` and an `@`, and any query or fragment.
pub(crate) fn redact_userinfo_text(raw: &str) -> String {
    let raw = raw.split(['?', '#']).next().unwrap_or_default();
    match raw.split_once("://") {
        Some((scheme, rest)) => {
            let authority_end = rest.find('/').unwrap_or(rest.len());
            match rest[..authority_end].rfind('@') {
                Some(at) => format!("{scheme}://***@{}", &rest[at + 1..]),
                None => raw.to_owned(),
            }
        }
        None => raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_credentials_query_and_fragment() {
        let url = "https://u:p@h.example/v1/x?token=t#f".parse().unwrap();
        assert_eq!(redact_url(&url), "https://h.example/v1/x");
        let url = "https://user:pw@login.example/oauth/token".parse().unwrap();
        assert_eq!(redact_url(&url), "https://login.example/oauth/token");
        let plain = "https://login.example/t?a=b".parse().unwrap();
        assert_eq!(redact_url(&plain), "https://login.example/t");
        let query = "https://login.example/t?client_secret=x#f".parse().unwrap();
        assert_eq!(redact_url(&query), "https://login.example/t");
    }

    #[test]
    fn userinfo_text_is_redacted() {
        assert_eq!(
            redact_userinfo_text("http://u:p@h x/a?password=1"),
            "http://***@h x/a"
        );
        assert_eq!(redact_userinfo_text("no scheme"), "no scheme");
    }

    #[test]
    fn keys_naming_secrets() {
        for key in [
            "clientSecret",
            "client_secret",
            "access_token",
            "accessToken",
            "password",
            "secretValue",
            "credentials",
            "X-Api-Token",
            "Set-Cookie",
            "authorization",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["name", "clientId", "key", "message", "status"] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn json_bodies_lose_secret_keys_and_contract_paths() {
        let body = br#"{"name":"c","clientSecret":"s3cr3t-1","nested":{"Password":42},"values":{"A":"v-1","B":"v-2"}}"#;
        let r = redact_body(body, &["/values/*"]);
        for gone in ["s3cr3t-1", "42", "v-1", "v-2"] {
            assert!(!r.text.contains(gone), "{gone} in {}", r.text);
        }
        assert!(r.text.contains("\"name\":\"c\""), "{}", r.text);
        assert!(r.censored.contains(&"s3cr3t-1".to_string()));
        let whole = redact_body(br#"{"A":"v-3"}"#, &[""]);
        assert_eq!(whole.text, "\"[censored]\"");
    }

    #[test]
    fn text_bodies_lose_secret_pairs() {
        let r = redact_body(b"error: access_token=abc123&x=1 password: 'p w' ok", &[]);
        assert!(
            !r.text.contains("abc123") && !r.text.contains("p w"),
            "{}",
            r.text
        );
        assert!(
            r.text.contains("x=1") && r.text.contains("ok"),
            "{}",
            r.text
        );
        let broken = redact_body(br#"{"clientSecret": "s-4", "name": "#, &[]);
        assert!(!broken.text.contains("s-4"), "{}", broken.text);
        let hidden = redact_body(b"<html>whatever</html>", &["/x"]);
        assert!(!hidden.text.contains("whatever"), "{}", hidden.text);
    }

    #[test]
    fn bodies_are_bounded() {
        let big = format!("[{}1]", "1,".repeat(10_000));
        let r = redact_body(big.as_bytes(), &[]);
        assert!(r.text.len() <= BODY_LIMIT + '…'.len_utf8());
    }

    #[test]
    fn credential_headers_are_removed() {
        let mut h = http::HeaderMap::new();
        for name in [
            "set-cookie",
            "authorization",
            "x-auth-token",
            "x-request-id",
        ] {
            h.insert(
                http::HeaderName::from_static(name),
                http::HeaderValue::from_static("v"),
            );
        }
        redact_headers(&mut h);
        let left: Vec<&str> = h.keys().map(|k| k.as_str()).collect();
        assert_eq!(left, ["x-request-id"]);
    }

    #[test]
    fn messages_lose_quoted_secrets() {
        let m = scrub_message(
            "invalid type: string \"s3cr3t\", expected u32 at line 1 column 9",
            &["s3cr3t".into()],
        );
        assert!(
            !m.contains("s3cr3t") && m.contains("line 1 column 9"),
            "{m}"
        );
    }

    #[test]
    fn shapes_quote_no_value() {
        let s = shape(br#"{"accessToken":"abc","tokenType":"Bearer"}"#);
        assert_eq!(s, r#"{"accessToken": string, "tokenType": string}"#);
        assert_eq!(shape(b"<html>tok</html>"), "16 bytes, not JSON");
    }
}
