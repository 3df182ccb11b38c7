//! One client-credentials token request (RFC 6749 §4.4) and the reading of
//! its answer.
//!
//! The form-encoded request is built and sent by the `oauth2` crate (with
//! `audience` as an extra parameter and the credentials in the body, as
//! Camunda expects). `oauth2` cannot send a JSON body, so that request is
//! built here; both answers are parsed with `oauth2`'s standard token and
//! error response types. Because `oauth2`'s errors drop the HTTP status,
//! failures are classified from the response that [`OAuthHttp`] captured.

use std::sync::atomic::AtomicU64;
use std::time::SystemTime;

use oauth2::basic::{BasicClient, BasicErrorResponse, BasicTokenResponse, BasicTokenType};
use oauth2::{
    AsyncHttpClient, AuthType, ClientId, ClientSecret, RequestTokenError, Scope, TokenResponse,
    TokenUrl,
};

use super::credentials::{ClientCredentials, TokenBodyFormat};
use super::http::{Captured, OAuthHttp, TransportError};
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
    let http = OAuthHttp::new(client, requests);
    let outcome = match credentials.body_format {
        TokenBodyFormat::Form => send_form(&http, credentials).await,
        TokenBodyFormat::Json => send_json(&http, credentials).await,
    };
    let captured = http.take_captured();
    match outcome {
        Ok(Some(response)) => {
            let status = captured.as_ref().map_or(200, |c| c.status.as_u16());
            let body = captured.as_ref().map_or(&[][..], |c| c.body.as_slice());
            accept(credentials, response, fetched_at, status, body)
        }
        Ok(None) | Err(SendError::Response) => match captured {
            Some(c) => classify(credentials, c, fetched_at),
            None => Err(Failure::Transient {
                reason: "no response".into(),
                retry_after: None,
            }),
        },
        Err(SendError::Transport(e)) => Err(Failure::Transient {
            reason: e.to_string(),
            retry_after: None,
        }),
        Err(SendError::Prepare(reason)) => Err(Failure::Permanent(Error::InvalidValue {
            setting: "token URL".into(),
            value: redact_url(&credentials.token_url),
            reason,
        })),
    }
}

enum SendError {
    /// No HTTP response.
    Transport(TransportError),
    /// A response `oauth2` did not accept: classify the captured response.
    Response,
    /// The request could not be built.
    Prepare(String),
}

/// The form-encoded request, through `oauth2`. `Ok(Some)` is a parsed
/// success response.
async fn send_form(
    http: &OAuthHttp<'_>,
    credentials: &ClientCredentials,
) -> Result<Option<BasicTokenResponse>, SendError> {
    let client = BasicClient::new(ClientId::new(credentials.client_id.clone()))
        .set_client_secret(ClientSecret::new(
            credentials.client_secret.expose().to_owned(),
        ))
        .set_auth_type(AuthType::RequestBody)
        .set_token_uri(TokenUrl::from_url(credentials.token_url.clone()));
    let scopes = scopes(credentials);
    let request = client
        .exchange_client_credentials()
        .add_extra_param("audience", credentials.audience.as_str())
        .add_scopes(scopes);
    match request.request_async(http).await {
        Ok(response) => Ok(Some(response)),
        Err(RequestTokenError::Request(e)) => Err(SendError::Transport(e)),
        Err(RequestTokenError::Other(message)) if message.starts_with("failed to prepare") => {
            Err(SendError::Prepare(message))
        }
        Err(_) => Err(SendError::Response),
    }
}

fn scopes(credentials: &ClientCredentials) -> Vec<Scope> {
    credentials
        .scope
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .map(|s| Scope::new(s.to_owned()))
        .collect()
}

/// The JSON request, built here and sent through the same client. The
/// answer is always classified from the captured response.
async fn send_json(
    http: &OAuthHttp<'_>,
    credentials: &ClientCredentials,
) -> Result<Option<BasicTokenResponse>, SendError> {
    let mut body = serde_json::json!({
        "grant_type": "client_credentials",
        "client_id": credentials.client_id,
        "client_secret": credentials.client_secret.expose(),
        "audience": credentials.audience,
    });
    if let Some(scope) = credentials
        .scope
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        body["scope"] = serde_json::Value::from(scope);
    }
    let body = serde_json::to_vec(&body).map_err(|e| SendError::Prepare(e.to_string()))?;
    let request = http::Request::builder()
        .method(http::Method::POST)
        .uri(credentials.token_url.as_str())
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::ACCEPT, "application/json")
        .body(body)
        .map_err(|e| SendError::Prepare(format!("failed to prepare request: {e}")))?;
    http.call(request).await.map_err(SendError::Transport)?;
    Ok(None)
}

/// Classifies a response that is not an already-parsed success.
fn classify(
    credentials: &ClientCredentials,
    captured: Captured,
    fetched_at: SystemTime,
) -> Result<AccessToken, Failure> {
    let status = captured.status;
    let code = status.as_u16();
    if status.is_success() {
        return match serde_json::from_slice::<BasicTokenResponse>(&captured.body) {
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
    match serde_json::from_slice::<BasicErrorResponse>(&captured.body) {
        Ok(error) => Err(Failure::Permanent(Error::TokenRejected {
            url: redact_url(&credentials.token_url),
            status: code,
            error: excerpt(error.error().as_ref().as_bytes(), &known(credentials)),
            description: error
                .error_description()
                .map(|d| excerpt(d.as_bytes(), &known(credentials))),
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
    response: BasicTokenResponse,
    fetched_at: SystemTime,
    status: u16,
    body: &[u8],
) -> Result<AccessToken, Failure> {
    if let BasicTokenType::Extension(other) = response.token_type() {
        let shown = excerpt(other.as_bytes(), &known(credentials));
        return Err(invalid(
            credentials,
            status,
            format!("token_type {shown:?} is not Bearer"),
            body,
        ));
    }
    if *response.token_type() != BasicTokenType::Bearer {
        return Err(invalid(
            credentials,
            status,
            "token_type is not Bearer".into(),
            body,
        ));
    }
    let value = response.access_token().secret();
    if value.trim().is_empty() {
        return Err(invalid(
            credentials,
            status,
            "empty access_token".into(),
            body,
        ));
    }
    let expires_at = expiry(value, fetched_at, response.expires_in());
    AccessToken::new(Secret::new(value.clone()), expires_at)
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
        None => "no token_type in the response".into(),
        Some(v) if !v.is_string() => "token_type is not a string".into(),
        _ => "a field has an unexpected type (e.g. expires_in)".into(),
    }
}

fn known(credentials: &ClientCredentials) -> [&str; 1] {
    [credentials.client_secret.expose()]
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
