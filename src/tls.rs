//! Custom TLS material: extra trusted root certificates (a self-signed or
//! private CA) and a client certificate for mutual TLS, loaded from PEM files
//! and applied to every HTTP client the crate builds (API calls and token
//! requests alike).

use std::path::{Path, PathBuf};

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

/// Reads every certificate of a PEM file (a bundle may hold several).
pub fn load_root_certificates(path: &Path) -> Result<Vec<reqwest::Certificate>> {
    let pem = read(path)?;
    if !contains(&pem, b"-----BEGIN CERTIFICATE-----") {
        return Err(tls_error(path, "no PEM certificate found in the file"));
    }
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    {
        let certs = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| tls_error(path, &format!("not a valid PEM certificate bundle: {e}")))?;
        if certs.is_empty() {
            return Err(tls_error(path, "no PEM certificate found in the file"));
        }
        Ok(certs)
    }
    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    {
        Err(no_backend(path))
    }
}

/// Reads the client certificate chain and private key for mutual TLS.
///
/// Neither file's content ever appears in an error; only the path does.
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
    #[cfg(feature = "rustls")]
    {
        let mut joined = Vec::with_capacity(chain.len() + key.len() + 1);
        joined.extend_from_slice(&chain);
        joined.push(b'\n');
        joined.extend_from_slice(&key);
        // reqwest's message never quotes the key material.
        reqwest::Identity::from_pem(&joined).map_err(|e| {
            tls_error(
                chain_path,
                &format!(
                    "certificate chain and key {} do not form a client identity: {e}",
                    key_path.display()
                ),
            )
        })
    }
    #[cfg(all(feature = "native-tls", not(feature = "rustls")))]
    {
        reqwest::Identity::from_pkcs8_pem(&chain, &key).map_err(|e| {
            tls_error(
                chain_path,
                &format!(
                    "certificate chain and key {} do not form a client identity \
                     (native-tls needs a PKCS#8 key): {e}",
                    key_path.display()
                ),
            )
        })
    }
    #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
    {
        Err(no_backend(chain_path))
    }
}

/// Adds the configured root certificates and client identity to a client
/// builder. With empty settings the builder is returned unchanged.
pub fn apply(
    builder: reqwest::ClientBuilder,
    settings: &TlsSettings,
) -> Result<reqwest::ClientBuilder> {
    let mut builder = builder;
    if let Some(path) = &settings.root_cert_path {
        let certs = load_root_certificates(path)?;
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        {
            builder = builder.tls_certs_merge(certs);
        }
        #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
        drop(certs);
    }
    match (&settings.cert_chain_path, &settings.private_key_path) {
        (Some(chain), Some(key)) => {
            let identity = load_identity(chain, key)?;
            #[cfg(any(feature = "rustls", feature = "native-tls"))]
            {
                builder = builder.identity(identity);
            }
            #[cfg(not(any(feature = "rustls", feature = "native-tls")))]
            drop(identity);
        }
        (Some(chain), None) => {
            return Err(tls_error(
                chain,
                "a client certificate chain needs its private key (CAMUNDA_CUSTOM_PRIVATE_KEY_PATH)",
            ));
        }
        (None, Some(key)) => {
            return Err(tls_error(
                key,
                "a private key needs its certificate chain (CAMUNDA_CUSTOM_CERT_CHAIN_PATH)",
            ));
        }
        (None, None) => {}
    }
    Ok(builder)
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| tls_error(path, &format!("cannot read the file: {e}")))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn tls_error(path: &Path, reason: &str) -> Error {
    Error::Tls {
        path: path.display().to_string(),
        reason: reason.to_owned(),
    }
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
fn no_backend(path: &Path) -> Error {
    tls_error(
        path,
        "this build has no TLS backend (enable the `rustls` or `native-tls` feature)",
    )
}
