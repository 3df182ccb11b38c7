//! Text bodies of non-JSON responses.
//!
//! progenitor types only JSON bodies; any other success body (the BPMN and
//! DMN XML of Operate and of the Orchestration Cluster API, the
//! Administration API's CSV) is handed back as a
//! [`ResponseValue<ByteStream>`]. [`body_text`] collects such a body into a
//! `String`; with the `operate` feature, [`crate::operate::Client`] also gets
//! [`process_definition_xml`](crate::operate::Client::process_definition_xml)
//! and [`decision_requirements_xml`](crate::operate::Client::decision_requirements_xml),
//! which send the request and return the XML as text; with the `admin`
//! feature, [`crate::admin::Client`] gets
//! [`activity_csv`](crate::admin::Client::activity_csv), the organization's
//! activity log as CSV text. All of them fail with [`ApiError`].
//!
//! These helpers send their request by hand (`get_text`), through the
//! client's hooks like a generated call (credential, backpressure retries,
//! renewal after a 401), for one reason: `Accept`. A generated call with a
//! JSON answer asks for `application/json`; one with another answer asks
//! for nothing, and the HTTP client then sends `*/*`. A helper asks for the
//! type the contract declares for the operation's success answer
//! (`text/xml`, `text/csv`), as Camunda's other clients do.

use futures::StreamExt;
use progenitor_client::{
    ByteStream, ClientHooks, ClientInfo, Error as ProgenitorError, OperationInfo, ResponseValue,
};
use reqwest::header::{ACCEPT, HeaderValue};

use super::hooks::Inner;
use crate::ApiError;

/// Sends `GET` to `parts` (the operation's path, parameters encoded) under
/// `client`'s base URL, asking for `accept`, through the client's hooks;
/// the response, whatever its status, for the caller to sort out.
#[cfg_attr(
    not(any(feature = "admin", feature = "operate", feature = "orchestration")),
    allow(dead_code)
)]
pub(crate) async fn get_text<C, E>(
    client: &C,
    operation_id: &'static str,
    parts: &[&str],
    accept: &'static str,
) -> Result<reqwest::Response, ProgenitorError<E>>
where
    C: ClientInfo<Inner> + ClientHooks<Inner>,
{
    let url = client
        .inner()
        .endpoint(client.baseurl(), parts)
        .map_err(ProgenitorError::InvalidRequest)?;
    let mut request = client
        .client()
        .get(url)
        .header(ACCEPT, HeaderValue::from_static(accept))
        .build()?;
    let info = OperationInfo { operation_id };
    client.pre(&mut request, &info).await?;
    let result = client.exec(request, &info).await;
    client.post(&result, &info).await?;
    Ok(result?)
}

/// Reads a raw response body to the end as UTF-8 text.
///
/// A transport error while reading gives [`ApiError::Transport`]; a body
/// that is not UTF-8 gives [`ApiError::Decode`] with the body redacted and
/// bounded (as every body kept in an error).
pub async fn body_text<E>(response: ResponseValue<ByteStream>) -> Result<String, ApiError<E>> {
    let status = response.status();
    let mut stream = response.into_inner_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::Transport {
            request: None,
            source: std::sync::Arc::new(e.without_url()),
        })?;
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|e| {
        let reason = format!("response body is not UTF-8 text: {}", e.utf8_error());
        super::error::decode_error(None, status, &reason, e.as_bytes(), &[])
    })
}

#[cfg(feature = "operate")]
impl crate::operate::Client {
    /// The BPMN XML of the process definition with this key
    /// (`GET /v1/process-definitions/{key}/xml`), as text.
    pub async fn process_definition_xml(
        &self,
        key: i64,
    ) -> Result<String, ApiError<crate::operate::types::ProblemDetail>> {
        let key = progenitor_client::encode_path(&key.to_string());
        let parts = ["/v1/process-definitions/", &key, "/xml"];
        let sent = self.operate_xml("get_process_definition_xml", &parts);
        body_text(crate::call::run(&[], sent).await?).await
    }

    /// The DMN XML of the decision requirements with this key
    /// (`GET /v1/drd/{key}/xml`), as text.
    pub async fn decision_requirements_xml(
        &self,
        key: i64,
    ) -> Result<String, ApiError<crate::operate::types::ProblemDetail>> {
        let key = progenitor_client::encode_path(&key.to_string());
        let parts = ["/v1/drd/", &key, "/xml"];
        let sent = self.operate_xml("get_decision_requirements_xml", &parts);
        body_text(crate::call::run(&[], sent).await?).await
    }

    /// An Operate XML document: 200 with `text/xml`, as its contract says;
    /// its declared errors (400, 403, 404, 500) with the problem body.
    async fn operate_xml(
        &self,
        operation_id: &'static str,
        parts: &[&str],
    ) -> Result<ResponseValue<ByteStream>, ProgenitorError<crate::operate::types::ProblemDetail>>
    {
        let response = get_text(self, operation_id, parts, "text/xml").await?;
        match response.status().as_u16() {
            200 => Ok(ResponseValue::stream(response)),
            400 | 403 | 404 | 500 => Err(ProgenitorError::ErrorResponse(
                crate::call::decode::from_response(response).await?,
            )),
            _ => Err(ProgenitorError::UnexpectedResponse(response)),
        }
    }
}

#[cfg(feature = "admin")]
impl crate::admin::Client {
    /// The organization's activity events as CSV (`GET /activity/csv`), as
    /// text.
    ///
    /// The published spec declares this body as a JSON string; an erratum
    /// (`admin_activity_csv_is_text` in codegen/errata.rs) types it as
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

#[cfg(test)]
mod tests {
    /// The type the XML helpers ask for is the one the contract declares
    /// for the success answer (the CSV's comes from the erratum, applied
    /// at generation).
    #[test]
    fn helpers_ask_for_the_contracts_success_type() {
        let cases = [
            ("operate", "/v1/process-definitions/{key}/xml", "text/xml"),
            ("operate", "/v1/drd/{key}/xml", "text/xml"),
            (
                "orchestration",
                "/process-definitions/{processDefinitionKey}/xml",
                "text/xml",
            ),
            (
                "orchestration",
                "/decision-definitions/{decisionDefinitionKey}/xml",
                "text/xml",
            ),
            (
                "orchestration",
                "/decision-requirements/{decisionRequirementsKey}/xml",
                "text/xml",
            ),
        ];
        for (api, path, accept) in cases {
            let file = format!("{}/openapi/{api}.json", env!("CARGO_MANIFEST_DIR"));
            let spec: serde_json::Value =
                serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
            let pointer = format!(
                "/paths/{}/get/responses/200/content/{}",
                path.replace('~', "~0").replace('/', "~1"),
                accept.replace('/', "~1")
            );
            assert!(spec.pointer(&pointer).is_some(), "{api} {path}: {accept}");
        }
    }
}
