//! Base URL construction and validation, including hostile input.

use camunda8::Error;
use camunda8::urls::{
    Api, ClusterId, Region, api_base, default_admin_url, parse_checked, saas_operate_url,
    saas_zeebe_url,
};
use url::Url;

const CLUSTER: &str = "123e4567-e89b-12d3-a456-426614174000";

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

#[test]
fn saas_addresses() {
    let region = Region::new("bru-2").unwrap();
    let cluster = ClusterId::new(CLUSTER).unwrap();
    assert_eq!(
        saas_zeebe_url(&region, &cluster).unwrap().as_str(),
        format!("https://bru-2.zeebe.camunda.io/{CLUSTER}")
    );
    assert_eq!(
        saas_operate_url(&region, &cluster).unwrap().as_str(),
        format!("https://bru-2.operate.camunda.io/{CLUSTER}")
    );
    assert_eq!(
        default_admin_url().as_str(),
        "https://api.cloud.camunda.io/"
    );
}

#[test]
fn cluster_id_accepts_any_case_and_normalizes() {
    let upper = ClusterId::new(&CLUSTER.to_uppercase()).unwrap();
    assert_eq!(upper.to_string(), CLUSTER);
    assert_eq!(upper, ClusterId::new(CLUSTER).unwrap());
}

#[test]
fn api_base_normalizes_every_spelling() {
    for raw in [
        "https://h.example/c",
        "https://h.example/c/",
        "https://h.example/c/v1",
        "https://h.example/c/v1/",
        "https://h.example/c//",
    ] {
        let u = url(raw);
        assert_eq!(api_base(Api::Zeebe, &u), "https://h.example/c/v1", "{raw}");
        assert_eq!(api_base(Api::Operate, &u), "https://h.example/c", "{raw}");
        assert_eq!(api_base(Api::Admin, &u), "https://h.example/c", "{raw}");
    }
    for raw in [
        "http://localhost:8080",
        "http://localhost:8080/",
        "http://localhost:8080/v1",
    ] {
        let u = url(raw);
        assert_eq!(
            api_base(Api::Zeebe, &u),
            "http://localhost:8080/v1",
            "{raw}"
        );
        assert_eq!(api_base(Api::Operate, &u), "http://localhost:8080", "{raw}");
    }
    // Only a path segment `v1` is removed, never part of the host or a longer segment.
    assert_eq!(api_base(Api::Operate, &url("https://v1/")), "https://v1");
    assert_eq!(
        api_base(Api::Operate, &url("https://h/xv1")),
        "https://h/xv1"
    );
    assert_eq!(
        api_base(Api::Admin, &url("https://api.cloud.camunda.io")),
        "https://api.cloud.camunda.io"
    );
}

fn assert_invalid(result: Result<impl std::fmt::Debug, Error>, setting: &str, value: &str) {
    match result {
        Err(Error::InvalidValue {
            setting: s,
            value: v,
            ..
        }) => {
            assert_eq!(s, setting);
            assert_eq!(v, value);
        }
        other => panic!("expected InvalidValue for {value:?}, got {other:?}"),
    }
}

#[test]
fn hostile_regions_are_refused_by_name() {
    for bad in [
        "evil.com/",
        "a@b",
        "..",
        "eu-1/../x",
        "bru\u{2011}2",
        "ßx",
        "",
        "BRU-2",
        "bru 2",
        " bru-2",
        "%2e",
        "-bru",
        "bru-",
        "a.b",
        "a:1",
        "a?b",
        "a#b",
        "a\\b",
        "a\nb",
        &"a".repeat(64),
    ] {
        assert_invalid(Region::new(bad), "CAMUNDA_CLUSTER_REGION", bad);
        let message = Region::new(bad).unwrap_err().to_string();
        assert!(
            message.contains("CAMUNDA_CLUSTER_REGION"),
            "message does not name the variable: {message}"
        );
    }
    assert!(Region::new(&"a".repeat(63)).is_ok());
}

#[test]
fn hostile_cluster_ids_are_refused_by_name() {
    for bad in [
        "../x",
        "not-a-uuid",
        "x@evil.com",
        "",
        "123e4567-e89b-12d3-a456-42661417400ü",
        "123e4567-e89b-12d3-a456-426614174000/..",
        "{123e4567-e89b-12d3-a456-426614174000}",
        "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
        "123e4567e89b12d3a456426614174000",
        " 123e4567-e89b-12d3-a456-42661417400",
        "123e4567-e89b-12d3-a456-4266141740%2",
    ] {
        assert_invalid(ClusterId::new(bad), "CAMUNDA_CLUSTER_ID", bad);
    }
}

#[test]
fn valid_input_never_moves_the_host_or_path() {
    for region in ["bru-2", "us-east-1", "a", "0", "x9-y"] {
        let r = Region::new(region).unwrap();
        let c = ClusterId::new(CLUSTER).unwrap();
        let z = saas_zeebe_url(&r, &c).unwrap();
        assert_eq!(
            z.host_str(),
            Some(format!("{region}.zeebe.camunda.io").as_str())
        );
        assert_eq!(z.path(), format!("/{CLUSTER}"));
        let o = saas_operate_url(&r, &c).unwrap();
        assert_eq!(
            o.host_str(),
            Some(format!("{region}.operate.camunda.io").as_str())
        );
        assert_eq!(o.path(), format!("/{CLUSTER}"));
    }
}

#[test]
fn https_policy() {
    // https always, loopback http without opt-in.
    for ok in [
        "https://example.com",
        "http://localhost:8080",
        "http://127.0.0.1:8081/",
        "http://[::1]:8080",
    ] {
        parse_checked("ZEEBE_REST_ADDRESS", ok, false).unwrap();
    }
    // Other http only with the opt-in, refused naming the variable.
    let err = parse_checked("ZEEBE_REST_ADDRESS", "http://zeebe.internal:8080", false).unwrap_err();
    match &err {
        Error::InsecureUrl { setting, url } => {
            assert_eq!(setting, "ZEEBE_REST_ADDRESS");
            assert_eq!(url, "http://zeebe.internal:8080/");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("ZEEBE_REST_ADDRESS"));
    parse_checked("ZEEBE_REST_ADDRESS", "http://zeebe.internal:8080", true).unwrap();
    // A host merely starting with localhost is not loopback.
    assert!(matches!(
        parse_checked("X", "http://localhost.evil.com", false),
        Err(Error::InsecureUrl { .. })
    ));
}

#[test]
fn other_schemes_and_malformed_urls_are_invalid() {
    for bad in [
        "ftp://example.com",
        "file:///etc/passwd",
        "example.com",
        "",
        "https://",
        "javascript:alert(1)",
    ] {
        match parse_checked("CAMUNDA_OPERATE_BASE_URL", bad, true) {
            Err(Error::InvalidValue { setting, .. }) => {
                assert_eq!(setting, "CAMUNDA_OPERATE_BASE_URL")
            }
            other => panic!("{bad:?}: {other:?}"),
        }
    }
}

#[test]
fn credentials_in_urls_are_refused_and_never_quoted() {
    for bad in [
        "https://user:hunter2@example.com/",
        "https://user@example.com/",
        "http://user:hunter2@localhost:8080",
        "https://example.com/?password=hunter2",
        "https://example.com/#hunter2",
    ] {
        let err = parse_checked("CAMUNDA_OAUTH_URL", bad, true).unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("CAMUNDA_OAUTH_URL"), "{shown}");
    }
    // Unparsable text with credentials is not quoted with them either.
    let err =
        parse_checked("CAMUNDA_OAUTH_URL", "https://u:hunter2@exa mple.com", true).unwrap_err();
    assert!(!format!("{err:?}").contains("hunter2"), "{err:?}");
}
