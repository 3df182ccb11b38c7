//! The comparison of the wire diff (`mod.rs` beside this file): what is
//! compared of a request, and the differences between the two clients' requests of one intent.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use super::recorder::{Recorded, Recorder, Side};

#[derive(Debug, Clone, PartialEq)]
enum PartBody {
    Json(Value),
    Bytes(String),
}

#[derive(Debug, Clone)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    /// Headers other than Content-Disposition and Content-Type.
    headers: BTreeMap<String, String>,
    body: PartBody,
}

#[derive(Debug, Clone)]
enum Body {
    Empty,
    Json(Value),
    Multipart(Vec<Part>),
    Other(String),
}

fn media_type(value: Option<&str>) -> Option<String> {
    value.map(|v| {
        v.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn disposition_param(disposition: &str, param: &str) -> Option<String> {
    disposition.split(';').find_map(|p| {
        let (k, v) = p.trim().split_once('=')?;
        (k.eq_ignore_ascii_case(param)).then(|| v.trim_matches('"').to_owned())
    })
}

fn parse_json_or_text(bytes: &[u8]) -> PartBody {
    match serde_json::from_slice(bytes) {
        Ok(value) => PartBody::Json(value),
        Err(_) => PartBody::Bytes(String::from_utf8_lossy(bytes).into_owned()),
    }
}

/// A multipart/form-data body, part by part (RFC 7578).
fn parse_multipart(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"'))
        .ok_or("no boundary")?;
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut parts = Vec::new();
    let mut at = find(body, delimiter, 0).ok_or("no first delimiter")? + delimiter.len();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Ok(parts);
        }
        let start = at + 2; // CRLF after the delimiter
        let next = find(body, delimiter, start).ok_or("no closing delimiter")?;
        let section = body
            .get(start..next.saturating_sub(2))
            .ok_or("bad section")?;
        let split = find(section, b"\r\n\r\n", 0).ok_or("no blank line after part headers")?;
        let head = String::from_utf8_lossy(&section[..split]);
        let content = &section[split + 4..];
        let mut name = String::new();
        let mut filename = None;
        let mut content_type = None;
        let mut headers = BTreeMap::new();
        for line in head.split("\r\n") {
            let (key, value) = line.split_once(':').ok_or("bad part header")?;
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "content-disposition" => {
                    name = disposition_param(value, "name").unwrap_or_default();
                    filename = disposition_param(value, "filename");
                }
                "content-type" => content_type = media_type(Some(value)),
                _ => {
                    headers.insert(key, value.to_owned());
                }
            }
        }
        let body = if filename.is_some() {
            PartBody::Bytes(String::from_utf8_lossy(content).into_owned())
        } else {
            parse_json_or_text(content)
        };
        parts.push(Part {
            name,
            filename,
            content_type,
            headers,
            body,
        });
        at = next + delimiter.len();
    }
}

/// What is compared of one request.
#[derive(Debug, Clone)]
struct View {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    authorization: Option<String>,
    content_type: Option<String>,
    accept: Option<String>,
    body: Body,
}

impl View {
    fn of(r: &Recorded) -> View {
        let content_type = media_type(r.header("content-type"));
        let body = if r.body.is_empty() {
            Body::Empty
        } else if content_type.as_deref() == Some("multipart/form-data") {
            match parse_multipart(r.header("content-type").unwrap_or_default(), &r.body) {
                Ok(parts) => Body::Multipart(parts),
                Err(e) => Body::Other(format!("unparsable multipart ({e})")),
            }
        } else {
            match serde_json::from_slice(&r.body) {
                Ok(value) => Body::Json(value),
                Err(_) => Body::Other(String::from_utf8_lossy(&r.body).into_owned()),
            }
        };
        let mut query: Vec<(String, String)> = r
            .query
            .as_deref()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        query.sort();
        View {
            method: r.method.clone(),
            path: r.path.clone(),
            query,
            authorization: r.header("authorization").map(str::to_owned),
            content_type,
            accept: r.header("accept").map(str::to_owned),
            body,
        }
    }
}

/// A difference: where, what the TypeScript client sent, what camunda8 sent.
#[derive(Debug, Clone)]
pub struct Found {
    pub at: String,
    pub ts: String,
    pub rust: String,
}

const ABSENT: &str = "(absent)";

fn show<T: std::fmt::Debug>(value: &Option<T>) -> String {
    value
        .as_ref()
        .map_or_else(|| ABSENT.to_owned(), |v| format!("{v:?}"))
}

/// Compares two JSON values member by member; a difference is reported at
/// `prefix` followed by its JSON pointer (`body /tenantId`).
fn json_diff(prefix: &str, ts: Option<&Value>, rust: Option<&Value>, out: &mut Vec<Found>) {
    walk(prefix, String::new(), ts, rust, out);
}

fn walk(
    prefix: &str,
    pointer: String,
    ts: Option<&Value>,
    rust: Option<&Value>,
    out: &mut Vec<Found>,
) {
    match (ts, rust) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                walk(
                    prefix,
                    format!("{pointer}/{key}"),
                    a.get(key),
                    b.get(key),
                    out,
                );
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                walk(prefix, format!("{pointer}/{i}"), Some(x), Some(y), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(Found {
            at: if pointer.is_empty() {
                prefix.to_owned()
            } else {
                format!("{prefix} {pointer}")
            },
            ts: a.map_or_else(|| ABSENT.to_owned(), Value::to_string),
            rust: b.map_or_else(|| ABSENT.to_owned(), Value::to_string),
        }),
    }
}

fn part_key(parts: &[Part]) -> BTreeMap<String, &Part> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    parts
        .iter()
        .map(|p| {
            let n = seen.entry(&p.name).or_default();
            let key = format!("{}#{n}", p.name);
            *n += 1;
            (key, p)
        })
        .collect()
}

fn compare_parts(ts: &[Part], rust: &[Part], out: &mut Vec<Found>) {
    let (a, b) = (part_key(ts), part_key(rust));
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for key in keys {
        let at = format!("part {key}");
        let (Some(x), Some(y)) = (a.get(key), b.get(key)) else {
            let describe = |p: Option<&&Part>| {
                p.map_or_else(|| ABSENT.to_owned(), |p| format!("{:?}", p.body))
            };
            out.push(Found {
                at,
                ts: describe(a.get(key)),
                rust: describe(b.get(key)),
            });
            continue;
        };
        if x.filename != y.filename {
            out.push(Found {
                at: format!("{at} filename"),
                ts: show(&x.filename),
                rust: show(&y.filename),
            });
        }
        if x.content_type != y.content_type {
            out.push(Found {
                at: format!("{at} content-type"),
                ts: show(&x.content_type),
                rust: show(&y.content_type),
            });
        }
        let names: BTreeSet<&String> = x.headers.keys().chain(y.headers.keys()).collect();
        for name in names {
            let (h1, h2) = (x.headers.get(name), y.headers.get(name));
            let parsed = |h: Option<&String>| h.map(|h| parse_json_or_text(h.as_bytes()));
            if parsed(h1) != parsed(h2) {
                out.push(Found {
                    at: format!("{at} header {name}"),
                    ts: show(&h1),
                    rust: show(&h2),
                });
            }
        }
        match (&x.body, &y.body) {
            (PartBody::Json(j1), PartBody::Json(j2)) => {
                json_diff(&format!("{at} body"), Some(j1), Some(j2), out)
            }
            (b1, b2) if b1 == b2 => {}
            (b1, b2) => out.push(Found {
                at: format!("{at} body"),
                ts: format!("{b1:?}"),
                rust: format!("{b2:?}"),
            }),
        }
    }
}

fn compare(ts: &View, rust: &View, out: &mut Vec<Found>) {
    let mut field = |at: &str, a: String, b: String| {
        if a != b {
            out.push(Found {
                at: at.to_owned(),
                ts: a,
                rust: b,
            });
        }
    };
    field("method", ts.method.clone(), rust.method.clone());
    field("path", ts.path.clone(), rust.path.clone());
    field(
        "query",
        format!("{:?}", ts.query),
        format!("{:?}", rust.query),
    );
    field(
        "authorization",
        show(&ts.authorization),
        show(&rust.authorization),
    );
    field(
        "content-type",
        show(&ts.content_type),
        show(&rust.content_type),
    );
    field("accept", show(&ts.accept), show(&rust.accept));
    match (&ts.body, &rust.body) {
        (Body::Empty, Body::Empty) => {}
        (Body::Json(a), Body::Json(b)) => json_diff("body", Some(a), Some(b), out),
        (Body::Multipart(a), Body::Multipart(b)) => compare_parts(a, b, out),
        (Body::Other(a), Body::Other(b)) if a == b => {}
        (a, b) => out.push(Found {
            at: "body".to_owned(),
            ts: format!("{a:?}"),
            rust: format!("{b:?}"),
        }),
    }
}

/// The requests of one client and intent that are compared: all of them,
/// but in `worker_run` the first of each method and path only.
pub fn compared(recorder: &Recorder, side: Side, intent: &str) -> Vec<Recorded> {
    let mut seen = HashSet::new();
    recorder
        .requests(side, intent)
        .into_iter()
        .filter(|r| intent != "worker_run" || seen.insert((r.method.clone(), r.path.clone())))
        .collect()
}

/// The differences between the two clients' requests of one intent.
pub fn diff_intent(recorder: &Recorder, intent: &str) -> Vec<Found> {
    let view = |side| -> Vec<View> {
        compared(recorder, side, intent)
            .iter()
            .map(View::of)
            .collect()
    };
    let (ts, rust) = (view(Side::Ts), view(Side::Rust));
    let mut out = Vec::new();
    for i in 0..ts.len().max(rust.len()) {
        let prefix = if i == 0 {
            String::new()
        } else {
            format!("#{i} ")
        };
        let mut found = Vec::new();
        match (ts.get(i), rust.get(i)) {
            (Some(a), Some(b)) => compare(a, b, &mut found),
            (a, b) => {
                let line = |v: Option<&View>| {
                    v.map_or_else(|| ABSENT.to_owned(), |v| format!("{} {}", v.method, v.path))
                };
                found.push(Found {
                    at: "requests".to_owned(),
                    ts: line(a),
                    rust: line(b),
                });
            }
        }
        out.extend(found.into_iter().map(|f| Found {
            at: format!("{prefix}{}", f.at),
            ..f
        }));
    }
    let state = recorder.lock();
    let outcome = |side: Side| state.outcomes.get(&(side, intent.to_owned())).cloned();
    if let (Some(Ok(())), Some(Err(e))) = (outcome(Side::Ts), outcome(Side::Rust)) {
        out.push(Found {
            at: "outcome".to_owned(),
            ts: "ok".to_owned(),
            rust: e,
        });
    }
    out
}
