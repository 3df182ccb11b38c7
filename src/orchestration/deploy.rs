//! Deploying resources (BPMN, DMN, forms, …): `POST /deployments`,
//! operation `createDeployment`, a multipart request written by hand.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use progenitor_client::{ClientInfo as _, Error, ResponseValue};

use crate::ApiError;

use super::Client;
use super::content_type;
use super::keys::TenantId;
use super::multipart::{self, DEFAULT_MAX_BODY_BYTES, Form};
use super::types::{DeploymentResult, ProblemDetail};

/// Where a resource's bytes come from.
#[derive(Clone)]
enum Source {
    Memory { file_name: String, bytes: Bytes },
    Path(PathBuf),
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Memory { file_name, bytes } => f
                .debug_struct("Memory")
                .field("file_name", file_name)
                .field("bytes", &bytes.len())
                .finish(),
            Self::Path(path) => f.debug_tuple("Path").field(path).finish(),
        }
    }
}

/// Builder of a `createDeployment` request: one or more resources and an
/// optional tenant, sent in one request (a deployment is atomic: all its
/// resources are deployed, or none).
///
/// The file name of each resource matters: Camunda picks the resource kind
/// from its extension (`.bpmn`, `.dmn`, `.form`, …).
///
/// ```no_run
/// # async fn run(camunda: camunda8::Camunda) -> Result<(), Box<dyn std::error::Error>> {
/// let bpmn = std::fs::read("order.bpmn")?;
/// let deployment = camunda
///     .orchestration()?
///     .create_deployment()
///     .resource("order.bpmn", bpmn)
///     .resource_path("rules/discount.dmn")
///     .send()
///     .await?
///     .into_inner();
/// println!("deployment {}", deployment.deployment_key);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
#[must_use = "a request does nothing until it is sent"]
pub struct CreateDeployment<'a> {
    client: &'a Client,
    resources: Vec<Source>,
    tenant_id: Option<TenantId>,
    max_body_bytes: usize,
}

impl Client {
    /// Deploys resources (`POST /deployments`, operation `createDeployment`,
    /// added in Camunda 8.6, not eventually consistent): see
    /// [`CreateDeployment`].
    ///
    /// Without [`tenant_id`](CreateDeployment::tenant_id) the client's
    /// default tenant is sent: `<default>` unless configured otherwise
    /// (`CAMUNDA_DEFAULT_TENANT_ID`, [`Config::default_tenant_id`],
    /// [`Config::no_default_tenant`]).
    ///
    /// [`Config::default_tenant_id`]: crate::Config::default_tenant_id
    /// [`Config::no_default_tenant`]: crate::Config::no_default_tenant
    pub fn create_deployment(&self) -> CreateDeployment<'_> {
        CreateDeployment {
            client: self,
            resources: Vec::new(),
            tenant_id: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

impl<'a> CreateDeployment<'a> {
    /// Adds a resource held in memory, under the given file name.
    pub fn resource(mut self, file_name: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        self.resources.push(Source::Memory {
            file_name: file_name.into(),
            bytes: bytes.into(),
        });
        self
    }

    /// Adds a resource read from a file when the request is sent; its file
    /// name is the path's last component.
    pub fn resource_path(mut self, path: impl AsRef<Path>) -> Self {
        self.resources
            .push(Source::Path(path.as_ref().to_path_buf()));
        self
    }

    /// Deploys for this tenant (multi-tenancy), instead of the client's
    /// default tenant.
    pub fn tenant_id(mut self, tenant_id: TenantId) -> Self {
        self.tenant_id = Some(tenant_id);
        self
    }

    /// The largest request body to send, in bytes (default 4 MiB, Zeebe's
    /// default `maxMessageSize`). A larger deployment fails before anything
    /// is sent.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Reads the files, sends the request and decodes the deployment.
    ///
    /// Errors: [`ApiError::InvalidRequest`] when no resource was added, a
    /// file cannot be read, or the body exceeds the limit (nothing is sent);
    /// otherwise as for any generated operation (backpressure is retried, a
    /// 401 renews the credential once).
    pub async fn send(self) -> Result<ResponseValue<DeploymentResult>, ApiError<ProblemDetail>> {
        crate::call::run(&[], self.send_raw()).await
    }

    async fn send_raw(self) -> Result<ResponseValue<DeploymentResult>, Error<ProblemDetail>> {
        if self.resources.is_empty() {
            return Err(Error::InvalidRequest(
                "a deployment needs at least one resource".to_string(),
            ));
        }
        let mut form = Form::new();
        for source in self.resources {
            let (file_name, bytes) = match source {
                Source::Memory { file_name, bytes } => (file_name, bytes),
                Source::Path(path) => read(&path).await?,
            };
            if file_name.is_empty() {
                return Err(Error::InvalidRequest(
                    "a resource needs a file name (its extension tells Camunda what it is)"
                        .to_string(),
                ));
            }
            // Camunda tells a resource's kind from its file name, not from
            // the part's type.
            form.file("resources", &file_name, content_type::OCTET_STREAM, bytes);
        }
        let tenant = self
            .tenant_id
            .map(TenantId::into_string)
            .or_else(|| self.client.inner().default_tenant().map(str::to_string));
        if let Some(tenant) = tenant {
            form.text("tenantId", &tenant);
        }
        multipart::send(
            self.client,
            "create_deployment",
            "/deployments",
            &[],
            form,
            self.max_body_bytes,
            &[200],
        )
        .await
    }
}

/// Reads one resource file.
async fn read(path: &Path) -> Result<(String, Bytes), Error<ProblemDetail>> {
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| {
            Error::InvalidRequest(format!("resource path {} has no file name", path.display()))
        })?
        .to_string();
    let bytes = tokio::fs::read(path).await.map_err(|e| {
        Error::InvalidRequest(format!("cannot read resource {}: {e}", path.display()))
    })?;
    Ok((file_name, Bytes::from(bytes)))
}
