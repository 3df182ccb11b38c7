//! Uploading documents: `POST /documents` (`createDocument`) and
//! `POST /documents/batch` (`createDocuments`), multipart requests written
//! by hand.
//!
//! Each file part carries a content type (given, from the metadata, or
//! inferred from the file name: `content_type.rs`), since the server stores
//! it when no metadata names one. A batch's metadata goes in one JSON part,
//! `metadataList`, an array aligned with the files, as the contract asks
//! (since Camunda 8.8); the per-part `X-Document-Metadata` header it
//! replaces is deprecated and not sent.

use bytes::Bytes;
use progenitor_client::{Error, ResponseValue};
use serde_json::Value;

use crate::ApiError;

use super::Client;
use super::content_type;
use super::keys::DocumentId;
use super::multipart::{self, DEFAULT_MAX_BODY_BYTES, Form};
use super::types::{
    DocumentCreationBatchResponse, DocumentMetadata, DocumentReference, ProblemDetail,
};

/// Builder of a `createDocument` request: one file, optional content type,
/// metadata, store and document id.
///
/// The file part's content type is, in this order: the one given to
/// [`content_type`](Self::content_type); the metadata's `contentType`;
/// one inferred from the file name's extension, in any case (table below);
/// `application/octet-stream`. The server stores it when the metadata
/// names no content type, and hands it back on download.
///
/// | Extension | Content type |
/// |---|---|
/// | `txt` | `text/plain` |
/// | `csv` | `text/csv` |
/// | `html`, `htm` | `text/html` |
/// | `md` | `text/markdown` |
/// | `json`, `form` (a Camunda form) | `application/json` |
/// | `xml`, `bpmn`, `dmn` | `application/xml` |
/// | `pdf` | `application/pdf` |
/// | `zip` | `application/zip` |
/// | `png` | `image/png` |
/// | `jpg`, `jpeg` | `image/jpeg` |
/// | `gif` | `image/gif` |
/// | `svg` | `image/svg+xml` |
/// | `webp` | `image/webp` |
/// | `tif`, `tiff` | `image/tiff` |
/// | `docx` | `application/vnd.openxmlformats-officedocument.wordprocessingml.document` |
/// | `xlsx` | `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` |
/// | `eml` | `message/rfc822` |
/// | `mp4` | `video/mp4` |
/// | anything else, or none | `application/octet-stream` |
///
/// ```no_run
/// # async fn run(camunda: camunda8::Camunda) -> Result<(), Box<dyn std::error::Error>> {
/// let reference = camunda
///     .orchestration()?
///     .create_document()
///     .file("invoice.pdf", std::fs::read("invoice.pdf")?) // sent as application/pdf
///     .send()
///     .await?
///     .into_inner();
/// println!("stored as {}", reference.document_id);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct CreateDocument<'a> {
    client: &'a Client,
    file: Option<(String, Bytes)>,
    content_type: Option<String>,
    metadata: Option<DocumentMetadata>,
    store_id: Option<String>,
    document_id: Option<DocumentId>,
    max_body_bytes: usize,
}

/// One file of a batch upload.
#[derive(Debug, Clone)]
struct BatchFile {
    file_name: String,
    bytes: Bytes,
    content_type: Option<String>,
    metadata: Option<DocumentMetadata>,
}

/// Builder of a `createDocuments` request: several files, each with an
/// optional content type and metadata, in one request. The server answers
/// 201 when all were stored and 207 when some failed; both decode as
/// [`DocumentCreationBatchResponse`], whose `failed_documents` lists the
/// failures.
///
/// Each file part's content type is chosen as for [`CreateDocument`]. When
/// any file has metadata, the metadata of all of them is sent as the
/// contract's `metadataList` part (a JSON array with one entry per file, in
/// order; `{}` for a file without), which servers before Camunda 8.8 do not
/// read.
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct CreateDocuments<'a> {
    client: &'a Client,
    files: Vec<BatchFile>,
    store_id: Option<String>,
    max_body_bytes: usize,
}

impl Client {
    /// Uploads one document (`POST /documents`, operation `createDocument`,
    /// added in Camunda 8.6, not eventually consistent): see
    /// [`CreateDocument`].
    pub fn create_document(&self) -> CreateDocument<'_> {
        CreateDocument {
            client: self,
            file: None,
            content_type: None,
            metadata: None,
            store_id: None,
            document_id: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }

    /// Uploads several documents at once (`POST /documents/batch`,
    /// operation `createDocuments`, added in Camunda 8.7, not eventually
    /// consistent): see [`CreateDocuments`].
    pub fn create_documents(&self) -> CreateDocuments<'_> {
        CreateDocuments {
            client: self,
            files: Vec::new(),
            store_id: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

impl<'a> CreateDocument<'a> {
    /// The document's file name and content.
    pub fn file(mut self, file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        self.file = Some((file_name.into(), bytes.into()));
        self
    }

    /// The content type of the file part (`"text/plain"`,
    /// `"application/pdf"`, …), instead of the one taken from the metadata
    /// or the file name. A value that is not a media type makes
    /// [`send`](Self::send) fail with [`ApiError::InvalidRequest`].
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Metadata stored with the document (content type, expiry, custom
    /// properties, …).
    pub fn metadata(mut self, metadata: DocumentMetadata) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// The document store to use (the cluster's default store if unset).
    pub fn store_id(mut self, store_id: impl Into<String>) -> Self {
        self.store_id = Some(store_id.into());
        self
    }

    /// The id to store the document under (generated by the server if
    /// unset).
    pub fn document_id(mut self, document_id: DocumentId) -> Self {
        self.document_id = Some(document_id);
        self
    }

    /// The largest request body to send, in bytes (default 4 MiB).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Sends the request; the server answers with a reference to the
    /// stored document.
    ///
    /// Errors: [`ApiError::InvalidRequest`] when no file was given, the
    /// content type is not a media type or the body exceeds the limit
    /// (nothing is sent); otherwise as for any generated operation.
    pub async fn send(self) -> Result<ResponseValue<DocumentReference>, ApiError<ProblemDetail>> {
        crate::call::run(&[], self.send_raw()).await
    }

    async fn send_raw(self) -> Result<ResponseValue<DocumentReference>, Error<ProblemDetail>> {
        let Some((file_name, bytes)) = self.file else {
            return Err(Error::InvalidRequest(
                "a document needs a file (CreateDocument::file)".to_string(),
            ));
        };
        let part_type = part_type(
            &file_name,
            self.content_type.as_deref(),
            self.metadata.as_ref(),
        )?;
        let mut form = Form::new();
        form.file("file", &file_name, &part_type, bytes);
        if let Some(metadata) = &self.metadata {
            form.json("metadata", &to_json(metadata)?);
        }
        let mut query = Vec::new();
        if let Some(store) = self.store_id {
            query.push(("storeId", store));
        }
        if let Some(id) = self.document_id {
            query.push(("documentId", id.into_string()));
        }
        multipart::send(
            self.client,
            "create_document",
            "/documents",
            &query,
            form,
            self.max_body_bytes,
            &[201],
        )
        .await
    }
}

impl<'a> CreateDocuments<'a> {
    /// Adds a file, with optional metadata (sent, with that of the other
    /// files, in the `metadataList` part). Its content type comes from the
    /// metadata or the file name (see [`CreateDocuments`]).
    pub fn file(
        self,
        file_name: impl Into<String>,
        bytes: impl Into<Bytes>,
        metadata: Option<DocumentMetadata>,
    ) -> Self {
        self.push(file_name.into(), bytes.into(), None, metadata)
    }

    /// Adds a file sent with this content type (`"text/plain"`,
    /// `"application/pdf"`, …), with optional metadata. A value that is not
    /// a media type makes [`send`](Self::send) fail with
    /// [`ApiError::InvalidRequest`].
    pub fn file_with_content_type(
        self,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Bytes>,
        metadata: Option<DocumentMetadata>,
    ) -> Self {
        self.push(
            file_name.into(),
            bytes.into(),
            Some(content_type.into()),
            metadata,
        )
    }

    fn push(
        mut self,
        file_name: String,
        bytes: Bytes,
        content_type: Option<String>,
        metadata: Option<DocumentMetadata>,
    ) -> Self {
        self.files.push(BatchFile {
            file_name,
            bytes,
            content_type,
            metadata,
        });
        self
    }

    /// The document store to use (the cluster's default store if unset).
    pub fn store_id(mut self, store_id: impl Into<String>) -> Self {
        self.store_id = Some(store_id.into());
        self
    }

    /// The largest request body to send, in bytes (default 4 MiB).
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Sends the request. Both 201 (all stored) and 207 (some failed) are
    /// success answers; check `failed_documents`.
    ///
    /// Errors: [`ApiError::InvalidRequest`] when no file was added, a
    /// content type is not a media type or the body exceeds the limit
    /// (nothing is sent); otherwise as for any generated operation.
    pub async fn send(
        self,
    ) -> Result<ResponseValue<DocumentCreationBatchResponse>, ApiError<ProblemDetail>> {
        crate::call::run(&[], self.send_raw()).await
    }

    async fn send_raw(
        self,
    ) -> Result<ResponseValue<DocumentCreationBatchResponse>, Error<ProblemDetail>> {
        if self.files.is_empty() {
            return Err(Error::InvalidRequest(
                "a batch upload needs at least one file (CreateDocuments::file)".to_string(),
            ));
        }
        let mut form = Form::new();
        let any_metadata = self.files.iter().any(|f| f.metadata.is_some());
        let mut metadata_list = Vec::with_capacity(self.files.len());
        for file in self.files {
            let part_type = part_type(
                &file.file_name,
                file.content_type.as_deref(),
                file.metadata.as_ref(),
            )?;
            form.file("files", &file.file_name, &part_type, file.bytes);
            metadata_list.push(match &file.metadata {
                Some(m) => to_json(m)?,
                None => Value::Object(serde_json::Map::new()),
            });
        }
        if any_metadata {
            form.json("metadataList", &Value::Array(metadata_list));
        }
        let mut query = Vec::new();
        if let Some(store) = self.store_id {
            query.push(("storeId", store));
        }
        multipart::send(
            self.client,
            "create_documents",
            "/documents/batch",
            &query,
            form,
            self.max_body_bytes,
            &[201, 207],
        )
        .await
    }
}

/// The content type of a file part: the one given (checked), the
/// metadata's when it is a media type, or the one inferred from the name.
// The error is the one every generated method returns (progenitor's).
#[allow(clippy::result_large_err)]
fn part_type(
    file_name: &str,
    given: Option<&str>,
    metadata: Option<&DocumentMetadata>,
) -> Result<String, Error<ProblemDetail>> {
    if let Some(given) = given {
        content_type::check(given)
            .map_err(|reason| Error::InvalidRequest(format!("{file_name}: {reason}")))?;
        return Ok(given.to_string());
    }
    let from_metadata = metadata
        .and_then(|m| m.content_type.as_deref())
        .filter(|t| content_type::check(t).is_ok());
    Ok(from_metadata
        .unwrap_or_else(|| content_type::infer(file_name))
        .to_string())
}

// The error is the one every generated method returns (progenitor's).
#[allow(clippy::result_large_err)]
fn to_json(metadata: &DocumentMetadata) -> Result<serde_json::Value, Error<ProblemDetail>> {
    serde_json::to_value(metadata)
        .map_err(|e| Error::InvalidRequest(format!("document metadata: {e}")))
}
