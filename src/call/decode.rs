//! Phase 7 for a success: the JSON answer decoded (the generated code's
//! last step; a body of another type is read as text, `text.rs`).

use std::future::Future;

use bytes::Bytes;
use progenitor_client::{Error as ProgenitorError, ResponseValue};

use super::record::note_url;

/// Decodes a JSON answer (the generated code calls this where progenitor
/// wrote `ResponseValue::from_response`; step `decode_moves_headers` in
/// codegen/post/decode.rs). Same result as progenitor's, but the headers are
/// taken out of the response, which is ours, rather than copied, and the
/// body is read while the response is kept, so that an error about it can
/// name the URL.
pub(crate) fn from_response<T, E>(
    mut response: reqwest::Response,
) -> impl Future<Output = Result<ResponseValue<T>, ProgenitorError<E>>>
where
    T: serde::de::DeserializeOwned,
{
    // Not an `async fn`, which would store the response twice (argument
    // and variable); the block below holds it once.
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    async move {
        let full = match read_body(&mut response).await {
            Ok(full) => full,
            Err(error) => {
                note_url(response.url());
                return Err(ProgenitorError::ResponseBodyError(error));
            }
        };
        match serde_json::from_slice(&full) {
            Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
            Err(error) => {
                note_url(response.url());
                Err(ProgenitorError::InvalidResponsePayload(full, error))
            }
        }
    }
}

/// The whole body; without copying when it came in one piece (the usual
/// case for the small answers of these APIs).
async fn read_body(response: &mut reqwest::Response) -> reqwest::Result<Bytes> {
    let Some(first) = response.chunk().await? else {
        return Ok(Bytes::new());
    };
    let Some(second) = response.chunk().await? else {
        return Ok(first);
    };
    let mut all = bytes::BytesMut::with_capacity(first.len() + second.len());
    all.extend_from_slice(&first);
    all.extend_from_slice(&second);
    while let Some(more) = response.chunk().await? {
        all.extend_from_slice(&more);
    }
    Ok(all.freeze())
}
