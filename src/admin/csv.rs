//! The organization's activity log as CSV text: [`Client::activity_csv`].
//!
//! progenitor hands a non-JSON answer back as a byte stream; this method
//! sends the request asking for `text/csv` (see [`crate::text`] for why it
//! is sent by hand) and returns the document as a `String`, failing with
//! [`ApiError`].

use progenitor_client::{Error as ProgenitorError, ResponseValue};

use super::Client;
use crate::ApiError;
use crate::call::text::{body_text, get_text};

impl Client {
    /// The organization's activity events as CSV (`GET /activity/csv`), as
    /// text.
    ///
    /// The published spec declares this body as a JSON string; an erratum
    /// (`admin_activity_csv_is_text` in codegen/contract/errata.rs) types it as
    /// `text/csv`, so the document arrives unparsed, and the request asks
    /// for `text/csv`.
    pub async fn activity_csv(&self) -> Result<String, ApiError<()>> {
        let sent = async {
            let response = get_text(self, "get_csv", &["/activity/csv"], "text/csv").await?;
            match response.status().as_u16() {
                200 => Ok(ResponseValue::stream(response)),
                403 => Err(ProgenitorError::ErrorResponse(ResponseValue::empty(
                    response,
                ))),
                _ => Err(ProgenitorError::UnexpectedResponse(response)),
            }
        };
        body_text(crate::call::run(&[], sent).await?).await
    }
}
