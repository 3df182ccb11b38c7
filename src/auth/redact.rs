//! Cutting response bodies down to an excerpt that is safe to put in an error.
//!
//! A token endpoint that answers with something unexpected may still echo a
//! token (or, if it is badly broken, the client secret). Before a body is
//! quoted, this removes the value of any `access_token`/`refresh_token`/
//! `id_token` field (even in broken JSON), every JWT-looking or long opaque
//! run of token characters, and any value the caller knows to be secret.

const MAX_EXCERPT_CHARS: usize = 160;
const REDACTED: &str = "[redacted]";
/// Runs of token characters at least this long are treated as secrets even
/// without dots (opaque tokens, hex keys).
const LONG_RUN: usize = 32;

/// A short, redacted excerpt of `body`. `known_secrets` are removed verbatim
/// first (empty strings are ignored).
pub(crate) fn excerpt(body: &[u8], known_secrets: &[&str]) -> String {
    let mut text = String::from_utf8_lossy(body).into_owned();
    for secret in known_secrets.iter().filter(|s| !s.is_empty()) {
        text = text.replace(secret, REDACTED);
    }
    for field in ["access_token", "refresh_token", "id_token"] {
        text = redact_field_values(&text, field);
    }
    text = redact_token_runs(&text);
    let mut out: String = text.chars().take(MAX_EXCERPT_CHARS).collect();
    if text.chars().count() > MAX_EXCERPT_CHARS {
        out.push('…');
    }
    out
}

/// Replaces the value after every `"field"` (up to the next quote, or the end
/// of the text when the string is cut) with a marker.
fn redact_field_values(text: &str, field: &str) -> String {
    let needle = format!("\"{field}\"");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(&needle) {
        let after_name = pos + needle.len();
        out.push_str(&rest[..after_name]);
        let tail = &rest[after_name..];
        // skip whitespace and the colon, then expect a value
        let value_start = tail
            .char_indices()
            .find(|(_, c)| !c.is_whitespace() && *c != ':')
            .map(|(i, _)| i)
            .unwrap_or(tail.len());
        out.push_str(&tail[..value_start]);
        let value = &tail[value_start..];
        let consumed = if let Some(stripped) = value.strip_prefix('"') {
            out.push('"');
            out.push_str(REDACTED);
            match stripped.find('"') {
                Some(close) => {
                    out.push('"');
                    close + 2
                }
                None => value.len(),
            }
        } else {
            // a non-string value (number, object…): drop up to the next delimiter
            let end = value.find([',', '}', '\n']).unwrap_or(value.len());
            if end > 0 {
                out.push_str(REDACTED);
            }
            end
        };
        rest = &value[consumed..];
    }
    out.push_str(rest);
    out
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=' | '+' | '/' | '~')
}

/// Replaces JWT-like runs (two or more dots, 16+ characters) and long opaque
/// runs of token characters.
fn redact_token_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let dots = run.matches('.').count();
        let jwt_like = dots >= 2 && run.len() >= 16;
        if jwt_like || run.len() >= LONG_RUN {
            out.push_str(REDACTED);
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if is_token_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn removes_access_token_values_even_in_broken_json() {
        let e = excerpt(br#"{"access_token":"tok-1","token_type":"mac"}"#, &[]);
        assert!(!e.contains("tok-1"), "{e}");
        assert!(e.contains("token_type"), "{e}");
        let e = excerpt(br#"{"access_token": "tok-2", "#, &[]);
        assert!(!e.contains("tok-2"), "{e}");
        let e = excerpt(br#"{"access_token": "tok-3"#, &[]);
        assert!(!e.contains("tok-3"), "{e}");
        let e = excerpt(br#"{"access_token": 12345, "x": 1}"#, &[]);
        assert!(!e.contains("12345"), "{e}");
    }

    #[test]
    fn removes_jwts_long_runs_and_known_secrets() {
        let e = excerpt(b"oops eyJhbGciOi.eyJzdWIiOiJ4In0.c2lnbmF0dXJl here", &[]);
        assert!(!e.contains("eyJ"), "{e}");
        assert!(e.contains("oops") && e.contains("here"), "{e}");
        let long = "a".repeat(40);
        assert!(!excerpt(long.as_bytes(), &[]).contains(&long));
        let e = excerpt(b"<html>secret s3cr3t! leaked</html>", &["s3cr3t!"]);
        assert!(!e.contains("s3cr3t!"), "{e}");
    }

    #[test]
    fn is_short() {
        let body = "word ".repeat(200);
        let e = excerpt(body.as_bytes(), &[]);
        assert!(e.chars().count() <= 161, "{}", e.len());
        assert!(e.ends_with('…'));
    }
}
