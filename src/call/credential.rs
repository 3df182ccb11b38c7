//! Phase 2, progenitor's `pre` hook: the default tenant, then the
//! credential, just before the request is sent.
//!
//! Which credential an API uses (none, a fixed header, an OAuth token from
//! the shared cache, Operate's session cookie) is the configuration's
//! choice, made once in `src/auth/strategy.rs`; here it is only asked for
//! the header to put on this request. A failure to get one is recorded for
//! the call (`record.rs`) as the typed error, and reported to progenitor as
//! its `Custom` error, a marker that the call's `send()` turns back into
//! [`crate::ApiError::Auth`] (`error.rs`).

use progenitor_client::{Error as ProgenitorError, OperationInfo};
use reqwest::Request;

use super::hooks::Inner;
use super::record;

/// Gets a request ready to send: the default tenant where the operation
/// takes one (`src/orchestration/tenant.rs`), then the credential.
pub(super) async fn prepare<E>(
    inner: &Inner,
    request: &mut Request,
    info: &OperationInfo,
) -> Result<(), ProgenitorError<E>> {
    #[cfg(feature = "orchestration")]
    if let Some(tenant) = inner.default_tenant() {
        crate::orchestration::fill_default_tenant(request, info.operation_id, tenant);
    }
    #[cfg(not(feature = "orchestration"))]
    let _ = info;
    attach(inner, request).await
}

/// Attaches the current credential (see the [module documentation](self));
/// also used alone by the worker's hand-sent job activation.
pub(crate) async fn attach<E>(
    inner: &Inner,
    request: &mut Request,
) -> Result<(), ProgenitorError<E>> {
    // (progenitor's `api-version` header is not built: the
    // post-processing step `no_api_version_header` in codegen/ drops it.)
    let (header, _) = match inner.0.auth.credential().await {
        Ok(credential) => credential,
        Err(error) => {
            let marker = format!("camunda8: authentication failed: {error}");
            record::note_request(request);
            record::note_auth_failure(error);
            return Err(ProgenitorError::Custom(marker));
        }
    };
    if let Some((name, value)) = header {
        request.headers_mut().insert(name, value);
    }
    Ok(())
}
