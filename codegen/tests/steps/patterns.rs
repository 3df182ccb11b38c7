//! The post-processing step `patterns_by_regex_lite`
//! (codegen/post/patterns.rs): which patterns regex-lite checks as
//! ECMAScript would, every pattern of the committed contracts among them,
//! and how typify's check is rewritten or left out.

use camunda8_codegen::post::patterns::{patterns_by_regex_lite, unsupported};

#[test]
fn every_pattern_of_the_contracts_is_checked_by_regex_lite() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let spec: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut stack = vec![&spec];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Object(m) => {
                    if let Some(serde_json::Value::String(p)) = m.get("pattern") {
                        seen += 1;
                        assert_eq!(unsupported(p), None, "{p}");
                    }
                    stack.extend(m.values());
                }
                serde_json::Value::Array(a) => stack.extend(a),
                _ => {}
            }
        }
    }
    assert!(seen > 100, "only {seen} patterns found");
}

#[test]
fn patterns_where_regex_lite_and_ecmascript_differ_are_named() {
    // Compiled by regex-lite, but read differently by ECMAScript.
    for (pattern, why) in [(r"^\s+$", "Unicode white space"), (r"^a.b$", "U+2028")] {
        let got = unsupported(pattern).unwrap_or_default();
        assert!(got.contains(why), "{pattern}: {got:?}");
    }
    // Not ECMAScript's reading, or not compiled by regex-lite at all.
    for pattern in [
        r"^(a)\1$",
        r"^(?=a)a$",
        r"^(?i)a$",
        r"^[[]$",
        r"^[]$",
        r"^[a--b]$",
        r"^[a&&b]$",
        r"^[\b]$",
        r"^\u0041$",
        r"^a{$",
    ] {
        assert!(unsupported(pattern).is_some(), "{pattern}");
    }
    for pattern in [
        r"^[\w\.\-]{1,31}$",
        r"^(?:[A-Z]{4})*$",
        r"^[^a]b\.$",
        r"^\d*\*$",
    ] {
        assert_eq!(unsupported(pattern), None, "{pattern}");
    }
}

fn typify_check(pattern: &str) -> syn::File {
    syn::parse_str(&format!(
        r#"impl ::std::str::FromStr for Id {{
            type Err = self::error::ConversionError;
            fn from_str(value: &str) -> ::std::result::Result<Self, self::error::ConversionError> {{
                static PATTERN: ::std::sync::LazyLock<::regress::Regex> =
                    ::std::sync::LazyLock::new(|| {{ ::regress::Regex::new({pattern:?}).unwrap() }});
                if PATTERN.find(value).is_none() {{
                    return Err("doesn't match pattern".into());
                }}
                Ok(Self(value.to_string()))
            }}
        }}"#
    ))
    .unwrap()
}

#[test]
fn a_supported_pattern_is_checked_by_regex_lite() {
    let mut file = typify_check(r"^[a-z]+$");
    let changes = patterns_by_regex_lite(&mut file).unwrap();
    assert_eq!(changes, [r#""^[a-z]+$" checked by regex-lite"#]);
    let text = prettyplease::unparse(&file);
    assert!(!text.contains("regress"), "{text}");
    assert!(
        text.contains("::regex_lite::Regex::new(\"^[a-z]+$\")"),
        "{text}"
    );
    assert!(text.contains("PATTERN.find(value).is_none()"), "{text}");
}

#[test]
fn an_unsupported_pattern_is_left_to_the_server() {
    let mut file = typify_check(r"^(?=x)\w+$");
    let changes = patterns_by_regex_lite(&mut file).unwrap();
    assert_eq!(changes.len(), 1);
    assert!(
        changes[0].contains("not checked on the client"),
        "{changes:?}"
    );
    let text = prettyplease::unparse(&file);
    assert!(!text.contains("PATTERN"), "{text}");
    assert!(text.contains("Ok(Self(value.to_string()))"), "{text}");
}

#[test]
fn regress_in_an_unknown_shape_fails_generation() {
    let mut file: syn::File =
        syn::parse_str("fn f() -> bool { ::regress::Regex::new(\"a\").is_ok() }").unwrap();
    assert!(patterns_by_regex_lite(&mut file).is_err());
}
