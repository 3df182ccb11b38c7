//! Loading custom root certificates and client identities from PEM files.

use std::path::{Path, PathBuf};

use camunda8::Error;
use camunda8::tls::{TlsSettings, apply, load_identity, load_root_certificates};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tls")
        .join(name)
}

/// The error is `Error::Tls` for exactly this path.
fn assert_tls_error(result: Result<impl std::fmt::Debug, Error>, path: &Path) -> String {
    match result {
        Err(Error::Tls { path: p, reason }) => {
            assert_eq!(p, path.display().to_string());
            reason
        }
        other => panic!("expected Error::Tls for {}, got {other:?}", path.display()),
    }
}

#[test]
fn a_bundle_yields_every_certificate() {
    assert_eq!(load_root_certificates(&fixture("ca.pem")).unwrap().len(), 1);
    assert_eq!(
        load_root_certificates(&fixture("ca-bundle.pem"))
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn apply_builds_a_client_with_roots_and_identity() {
    let settings = TlsSettings {
        root_cert_path: Some(fixture("ca-bundle.pem")),
        cert_chain_path: Some(fixture("client.pem")),
        private_key_path: Some(fixture("client-key.pem")),
    };
    let builder = apply(reqwest::Client::builder(), &settings).unwrap();
    builder.build().unwrap();
    // Nothing configured: unchanged, still builds.
    apply(reqwest::Client::builder(), &TlsSettings::default())
        .unwrap()
        .build()
        .unwrap();
    load_identity(&fixture("client.pem"), &fixture("client-key.pem")).unwrap();
}

#[test]
fn missing_files_name_the_path() {
    let missing = fixture("does-not-exist.pem");
    let reason = assert_tls_error(load_root_certificates(&missing), &missing);
    assert!(reason.contains("cannot read"), "{reason}");
    let settings = TlsSettings {
        cert_chain_path: Some(fixture("client.pem")),
        private_key_path: Some(missing.clone()),
        ..TlsSettings::default()
    };
    assert_tls_error(apply(reqwest::Client::builder(), &settings), &missing);
}

#[test]
fn wrong_content_names_the_path_and_never_quotes_a_key() {
    // A key where certificates are expected.
    let key = fixture("client-key.pem");
    let reason = assert_tls_error(load_root_certificates(&key), &key);
    let key_text = std::fs::read_to_string(&key).unwrap();
    let key_body = key_text.lines().nth(1).unwrap();
    assert!(!reason.contains(key_body), "{reason}");

    // A certificate where the key is expected.
    let cert = fixture("client.pem");
    assert_tls_error(load_identity(&cert, &cert), &cert);
    // A key where the chain is expected.
    let e = load_identity(&key, &key).unwrap_err();
    assert!(!format!("{e:?}").contains(key_body), "{e:?}");

    // Garbage.
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.pem");
    std::fs::write(
        &junk,
        "-----BEGIN CERTIFICATE-----\nnot base64 !!\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    assert_tls_error(load_root_certificates(&junk), &junk);
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "").unwrap();
    assert_tls_error(load_root_certificates(&empty), &empty);
}

#[test]
fn certificates_the_backend_refuses_are_reported_at_load_time() {
    // An X.509 v1 client certificate parses as PEM, but rustls refuses it
    // when the client is built; the error must name the file then.
    let v1 = fixture("client-v1.pem");
    let key = fixture("client-key.pem");
    let result = load_identity(&v1, &key);
    if cfg!(feature = "native-tls") {
        // OpenSSL accepts v1 certificates.
        result.unwrap();
    } else {
        assert_tls_error(result, &v1);
    }
    // A key that does not belong to the certificate.
    let dir = tempfile::tempdir().unwrap();
    let other_key = dir.path().join("other-key.pem");
    std::fs::write(&other_key, MISMATCHED_KEY).unwrap();
    let chain = fixture("client.pem");
    assert_tls_error(load_identity(&chain, &other_key), &chain);
}

/// A P-256 PKCS#8 key unrelated to every fixture certificate (generated with
/// `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`).
const MISMATCHED_KEY: &str = include_str!("../fixtures/tls/unrelated-key.pem");

#[test]
fn half_an_identity_is_refused() {
    let chain = fixture("client.pem");
    let settings = TlsSettings {
        cert_chain_path: Some(chain.clone()),
        ..TlsSettings::default()
    };
    let reason = assert_tls_error(apply(reqwest::Client::builder(), &settings), &chain);
    assert!(
        reason.contains("CAMUNDA_CUSTOM_PRIVATE_KEY_PATH"),
        "{reason}"
    );
    let key = fixture("client-key.pem");
    let settings = TlsSettings {
        private_key_path: Some(key.clone()),
        ..TlsSettings::default()
    };
    let reason = assert_tls_error(apply(reqwest::Client::builder(), &settings), &key);
    assert!(
        reason.contains("CAMUNDA_CUSTOM_CERT_CHAIN_PATH"),
        "{reason}"
    );
}

#[test]
fn resolved_configuration_builds_its_http_client() {
    let resolved = camunda8::Config::new()
        .root_cert_path(fixture("ca.pem"))
        .client_certificate(fixture("client.pem"), fixture("client-key.pem"))
        .resolve()
        .unwrap();
    resolved.http_client_builder().unwrap().build().unwrap();
    let missing = fixture("nope.pem");
    let resolved = camunda8::Config::new()
        .root_cert_path(&missing)
        .resolve()
        .unwrap();
    assert_tls_error(resolved.http_client_builder().map(|_| ()), &missing);
}
