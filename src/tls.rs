//! Custom TLS material: extra trusted root certificates (a self-signed or
//! private CA) and a client certificate for mutual TLS, loaded from PEM files
//! and checked here; [`apply`] adds them to every HTTP client the crate
//! builds (API calls and token requests alike).

use std::path::{Path, PathBuf};

#[cfg(any(feature = "rustls", feature = "native-tls"))]
use crate::bytes_find::contains;
use crate::{Error, Result};

/// Where the custom TLS material lives. All paths are optional; the chain and
/// the key come together or not at all ([`Config::resolve`](crate::Config::resolve)
/// checks this).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TlsSettings {
    /// PEM file with one or more certificates to trust in addition to the
    /// built-in roots (`CAMUNDA_CUSTOM_ROOT_CERT_PATH`).
    pub root_cert_path: Option<PathBuf>,
    /// PEM file with the client certificate, optionally followed by its
    /// intermediates (`CAMUNDA_CUSTOM_CERT_CHAIN_PATH`).
    pub cert_chain_path: Option<PathBuf>,
    /// PEM file with the client's private key: PKCS#8, PKCS#1 (RSA) or SEC1
    /// (EC) (`CAMUNDA_CUSTOM_PRIVATE_KEY_PATH`).
    pub private_key_path: Option<PathBuf>,
}

impl TlsSettings {
    /// Whether no custom material is configured.
    pub fn is_empty(&self) -> bool {
        self.root_cert_path.is_none()
            && self.cert_chain_path.is_none()
            && self.private_key_path.is_none()
    }
}

/// Reads every certificate of a PEM file (a bundle may hold several), and
/// checks that the TLS backend accepts them.
#[cfg(any(feature = "rustls", feature = "native-tls"))]
pub fn load_root_certificates(path: &Path) -> Result<Vec<reqwest::Certificate>> {
    let pem = read(path)?;
    if !contains(&pem, b"-----BEGIN CERTIFICATE-----") {
        return Err(tls_error(path, "no PEM certificate found in the file"));
    }
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
        tls_error(
            path,
            &format!("not a valid PEM certificate bundle: {}", chain_text(&e)),
        )
    })?;
    if certs.is_empty() {
        return Err(tls_error(path, "no PEM certificate found in the file"));
    }
    // The backend validates certificates only when a client is built: do it
    // now, so that the error names the file.
    reqwest::Client::builder()
        .tls_certs_merge(certs.iter().cloned())
        .build()
        .map_err(|e| tls_error(path, &format!("unusable certificate: {}", chain_text(&e))))?;
    Ok(certs)
}

/// Reads the client certificate chain and private key for mutual TLS, and
/// checks that the TLS backend accepts them as a pair.
///
/// Neither file's content ever appears in an error; only the paths do.
#[cfg(any(feature = "rustls", feature = "native-tls"))]
pub fn load_identity(chain_path: &Path, key_path: &Path) -> Result<reqwest::Identity> {
    let chain = read(chain_path)?;
    let key = read(key_path)?;
    if !contains(&chain, b"-----BEGIN CERTIFICATE-----") {
        return Err(tls_error(
            chain_path,
            "no PEM certificate found in the file",
        ));
    }
    if !contains(&key, b"PRIVATE KEY-----") {
        return Err(tls_error(key_path, "no PEM private key found in the file"));
    }
    let unusable = |what: &str, e: &reqwest::Error| {
        tls_error(
            chain_path,
            &format!(
                "certificate chain and key {} {what}: {}",
                key_path.display(),
                chain_text(e)
            ),
        )
    };
    let identity =
        build_identity(&chain, &key).map_err(|e| unusable("do not form a client identity", &e))?;
    // As for roots: let the backend check the pair now, naming the files.
    reqwest::Client::builder()
        .identity(identity.clone())
        .build()
        .map_err(|e| unusable("are not usable", &e))?;
    Ok(identity)
}

/// With the `native-tls` feature (which then is reqwest's default backend,
/// even when `rustls` is enabled too) the key must be PKCS#8; with `rustls`
/// alone PKCS#8, PKCS#1 and SEC1 keys are accepted.
#[cfg(feature = "native-tls")]
fn build_identity(chain: &[u8], key: &[u8]) -> reqwest::Result<reqwest::Identity> {
    reqwest::Identity::from_pkcs8_pem(chain, key)
}

#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
fn build_identity(chain: &[u8], key: &[u8]) -> reqwest::Result<reqwest::Identity> {
    let mut joined = Vec::with_capacity(chain.len() + key.len() + 1);
    joined.extend_from_slice(chain);
    joined.push(b'\n');
    joined.extend_from_slice(key);
    reqwest::Identity::from_pem(&joined)
}

/// Adds the configured root certificates and client identity to a client
/// builder: defined with the rest of the crate's client building
/// (`src/http_client.rs`), kept reachable as `camunda8::tls::apply`.
pub use crate::http_client::apply_tls as apply;

#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| tls_error(path, &format!("cannot read the file: {e}")))
}

pub(crate) fn tls_error(path: &Path, reason: &str) -> Error {
    Error::Tls {
        path: path.display().to_string(),
        reason: reason.to_owned(),
    }
}

/// An error and its sources, in one line. Neither reqwest nor the TLS
/// backends quote key material in their errors.
#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn chain_text(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}
