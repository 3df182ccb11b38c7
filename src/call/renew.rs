//! Phase 5 after a 401: the request is sent again once with a renewed
//! credential, when there is one.
//!
//! A 401 says the credential that was sent is not (or no longer) good.
//! If another request has renewed it meanwhile, the current one is used;
//! else the credential that was sent is dropped and a fresh one fetched
//! (`src/auth/strategy.rs`, which never hands back the one just refused).
//! One renewal per call: the request it sends either works or its 401
//! stands. A renewal that fails is recorded for the call (`record.rs`), so
//! that the call fails with [`ApiError::Auth`](crate::ApiError::Auth)
//! saying what to fix (a rejected client, an unreachable server) rather
//! than with the 401 it answers.

use http::{HeaderName, HeaderValue, StatusCode};

use super::record;
use super::send::CallRequests;
use super::stats::CallCounters;
use super::template::Template;
use crate::auth::{Attached, Authenticator};

/// Puts a renewed credential on the template of `requests` and returns
/// it; `None` when there is none or the request cannot be sent again.
pub(super) async fn renew(requests: &mut CallRequests<'_>) -> Option<HeaderValue> {
    requests.url.as_ref()?;
    let inner = requests.inner;
    let (name, value) = match renewed_credential(&inner.0.auth, &requests.template).await {
        Ok(Some(header)) => header,
        Ok(None) => return None,
        Err(error) => {
            tracing::warn!(operation = requests.operation, %error, "could not renew a rejected credential");
            record::note_auth_failure(error);
            return None;
        }
    };
    requests.template.set_header(name, value.clone());
    CallCounters::bump(&inner.0.calls.renewals_after_401);
    tracing::debug!(
        operation = requests.operation,
        "credential rejected with 401; retrying once with a renewed one"
    );
    Some(value)
}

/// The credential to retry a rejected request with: the current one if
/// another request already renewed it, else a freshly fetched one; `None`
/// when nothing differs from what was sent.
async fn renewed_credential(
    auth: &Authenticator,
    template: &Template,
) -> Result<Option<(HeaderName, HeaderValue)>, crate::Error> {
    let (current, attached) = auth.credential().await?;
    let Some((name, value)) = current else {
        return Ok(None);
    };
    if template.header(&name) != Some(&value) {
        return Ok(Some((name, value)));
    }
    match attached {
        Attached::Static | Attached::Nothing => Ok(None),
        sent => auth.renew_after_rejection(&sent).await,
    }
}

/// Whether an answer with `status` shows the credential it carried
/// accepted: not refused (401, 403), and not an answer a server may give
/// before it looks at the credential (429, 5xx).
pub(super) fn credential_accepted(status: StatusCode) -> bool {
    !matches!(
        status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS
    ) && !status.is_server_error()
}

#[cfg(test)]
mod tests {
    use super::credential_accepted;
    use reqwest::StatusCode;

    #[test]
    fn only_answers_past_the_credential_check_accept_a_renewed_credential() {
        for accepted in [200, 201, 204, 400, 404, 409] {
            let status = StatusCode::from_u16(accepted).unwrap();
            assert!(credential_accepted(status), "{status}");
        }
        for not in [401, 403, 429, 500, 502, 503, 504] {
            let status = StatusCode::from_u16(not).unwrap();
            assert!(!credential_accepted(status), "{status}");
        }
    }
}
