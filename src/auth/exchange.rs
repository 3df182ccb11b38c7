//! One client-credentials token request (RFC 6749 §4.4) and the reading of
//! its answer.
//!
//! The request carries the credentials in its body (RFC 6749 §2.3.1) beside
//! Camunda's `audience` parameter, form-encoded as the RFC specifies or as
//! JSON as Camunda's Console documentation shows. The answer is read by its
//! status: a 2xx is a token response (§5.1), 408, 429 and 5xx are worth
//! another attempt, anything else is an error response (§5.2).

use std::sync::atomic::AtomicU64;
use std::time::{Duration, SystemTime};

use serde::Deserialize;

use super::credentials::{ClientCredentials, TokenBodyFormat};
use super::http::{Captured, send};
use super::redact::excerpt;
use super::token::{AccessToken, expiry};
use crate::redact::redact_url;
use crate::{Error, Secret};

/// Why one attempt did not produce a token.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Worth retrying: no response, a timeout, 408, 429 or 5xx.
    Transient {
        /// What happened, for the final error.
        reason: String,
        /// The raw `Retry-After` header, if the server sent one.
        retry_after: Option<String>,
    },
    /// Retrying will not help: the credentials were refused or the answer
    /// is unusable.
    Permanent(Error),
}

/// Sends one token request and turns the answer into a token or a failure.
pub(crate) async fn exchange_once(
    client: &reqwest::Client,
    requests: &[&AtomicU64],
    credentials: &ClientCredentials,
    fetched_at: SystemTime,
) -> Result<AccessToken, Failure> {
    let request = token_request(client, credentials).map_err(|reason| {
        Failure::Permanent(Error::InvalidValue {
            setting: "token URL".into(),
            value: redact_url(&credentials.token_url),
            reason,
        })
    })?;
    let captured = send(client, requests, request)
        .await
        .map_err(|e| Failure::Transient {
            reason: e.to_string(),
            retry_after: None,
        })?;
    classify(credentials, captured, fetched_at)
}

/// The request: `grant_type`, the client's id and secret, `audience` and,
/// unless blank, `scope` (its words separated by single spaces).
fn token_request(
    client: &reqwest::Client,
    credentials: &ClientCredentials,
) -> Result<reqwest::Request, String> {
    let scope = credentials
        .scope
        .as_deref()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty());
    let (content_type, body) = match credentials.body_format {
        TokenBodyFormat::Form => {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", "client_credentials")
                .append_pair("client_id", &credentials.client_id)
                .append_pair("client_secret", credentials.client_secret.expose())
                .append_pair("audience", &credentials.audience);
            if let Some(scope) = &scope {
                form.append_pair("scope", scope);
            }
            (
                "application/x-www-form-urlencoded",
                form.finish().into_bytes(),
            )
        }
        TokenBodyFormat::Json => {
            let mut body = serde_json::json!({
                "grant_type": "client_credentials",
                "client_id": credentials.client_id,
                "client_secret": credentials.client_secret.expose(),
                "audience": credentials.audience,
            });
            if let Some(scope) = scope {
                body["scope"] = serde_json::Value::from(scope);
            }
            let body = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
            ("application/json", body)
        }
    };
    client
        .post(credentials.token_url.clone())
        .header(http::header::CONTENT_TYPE, content_type)
        .header(http::header::ACCEPT, "application/json")
        .body(body)
        .build()
        .map_err(|e| format!("could not build the request: {}", e.without_url()))
}

/// A successful answer (RFC 6749 §5.1): the members the cache uses.
/// Deliberately without `Debug`: it holds the token.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    token_type: String,
    #[serde(default, deserialize_with = "seconds")]
    expires_in: Option<u64>,
}

/// An error answer (RFC 6749 §5.2).
#[derive(Deserialize)]
struct ErrorResponse {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// `expires_in` as a number of seconds, or as a string of one (some
/// identity providers quote it); absent or `null` is `None`.
fn seconds<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(u64),
        Text(String),
    }
    match Option::<Seconds>::deserialize(d)? {
        None => Ok(None),
        Some(Seconds::Number(n)) => Ok(Some(n)),
        Some(Seconds::Text(t)) => {
            t.trim().parse().map(Some).map_err(|_| {
                serde::de::Error::custom("expires_in is not a whole number of seconds")
            })
        }
    }
}

/// Reads the answer by its status.
fn classify(
    credentials: &ClientCredentials,
    captured: Captured,
    fetched_at: SystemTime,
) -> Result<AccessToken, Failure> {
    let status = captured.status;
    let code = status.as_u16();
    if status.is_success() {
        return match serde_json::from_slice::<TokenResponse>(&captured.body) {
            Ok(response) => accept(credentials, response, fetched_at, code, &captured.body),
            Err(_) => Err(invalid(
                credentials,
                code,
                why_unparseable(&captured.body),
                &captured.body,
            )),
        };
    }
    if code == 429 || code == 408 || status.is_server_error() {
        return Err(Failure::Transient {
            reason: format!("HTTP {code}"),
            retry_after: captured.retry_after,
        });
    }
    let known = [credentials.client_secret.expose()];
    match serde_json::from_slice::<ErrorResponse>(&captured.body) {
        Ok(error) => Err(Failure::Permanent(Error::TokenRejected {
            url: redact_url(&credentials.token_url),
            status: code,
            error: excerpt(error.error.as_bytes(), &known),
            description: error
                .error_description
                .map(|d| excerpt(d.as_bytes(), &known)),
        })),
        Err(_) => Err(invalid(
            credentials,
            code,
            format!("unexpected HTTP status {code} without an OAuth2 error"),
            &captured.body,
        )),
    }
}

/// Checks a parsed success response and builds the token.
fn accept(
    credentials: &ClientCredentials,
    response: TokenResponse,
    fetched_at: SystemTime,
    status: u16,
    body: &[u8],
) -> Result<AccessToken, Failure> {
    let value = response.access_token;
    if !response.token_type.eq_ignore_ascii_case("bearer") {
        // The server may have put anything there, even the token itself.
        let known = [credentials.client_secret.expose(), value.as_str()];
        let shown = excerpt(response.token_type.as_bytes(), &known);
        return Err(invalid(
            credentials,
            status,
            format!("token_type {shown:?} is not Bearer"),
            body,
        ));
    }
    if value.trim().is_empty() {
        return Err(invalid(
            credentials,
            status,
            "empty access_token".into(),
            body,
        ));
    }
    let lifetime = response.expires_in.map(Duration::from_secs);
    let expires_at = expiry(&value, fetched_at, lifetime);
    AccessToken::new(Secret::new(value), expires_at)
        .map_err(|e| invalid(credentials, status, e.to_string(), body))
}

/// Why a 2xx body is not a token response, in words that quote no value.
fn why_unparseable(body: &[u8]) -> String {
    if body.iter().all(u8::is_ascii_whitespace) {
        return "empty body".into();
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return "body is not valid JSON".into();
    };
    let Some(object) = value.as_object() else {
        return "body is not a JSON object".into();
    };
    match object.get("access_token") {
        None => return "no access_token in the response".into(),
        Some(v) if !v.is_string() => return "access_token is not a string".into(),
        _ => {}
    }
    match object.get("token_type") {
        None => return "no token_type in the response".into(),
        Some(v) if !v.is_string() => return "token_type is not a string".into(),
        _ => {}
    }
    "expires_in is not a whole number of seconds".into()
}

fn invalid(credentials: &ClientCredentials, status: u16, reason: String, body: &[u8]) -> Failure {
    Failure::Permanent(Error::TokenResponseInvalid {
        url: redact_url(&credentials.token_url),
        status,
        reason,
        // The body's shape only: a token endpoint's answer may hold a token
        // (or the secret) under any name, in any form.
        excerpt: crate::redact::shape(body),
    })
}
