//! Post-processing step `operation_servers`: an operation whose contract
//! gives it a server of its own (a `servers` entry on its path or on the
//! operation) is sent there, not under the API's base URL.
//!
//! progenitor ignores path- and operation-level `servers`: every request
//! goes to the client's base URL followed by the path. The Orchestration
//! Cluster API's server is `{schema}://{host}:{port}/v2`, but its
//! `/cluster/v2/*` paths (cluster status, topology, backups, exporting,
//! rebalance, restore, mode, upgrade status) carry the server
//! `{schema}://{host}:{port}`: the gateway serves them at its root, so
//! `GET /v2/cluster/v2/status` was sent where `GET /cluster/v2/status` is
//! served.
//!
//! The client's base URL is the API's server as the user configured it (a
//! SaaS address with its cluster id, a gateway behind a path prefix), not
//! the contract's template, so an operation's server cannot be written into
//! the code. What the contract does say is how the operation's server
//! differs from the API's: [`rebase`] compares the two templates and
//! finds the path segments the API's server has and the operation's does
//! not (`/v2`), and the ones the operation's adds. The generated request
//! code then builds its URL on the client's base with those segments
//! replaced (`crate::call::url::Rebase`, src/call/url.rs): the configured
//! address keeps its host, port and path prefix, and loses only its `/v2`.
//! A difference this cannot express (another scheme or host, or path
//! variables in the part that differs) fails generation with the
//! operation named, rather than sending requests to a wrong address.
//! The first server of a list is the one used, as for the API's own.

use std::collections::BTreeMap;

use proc_macro2::Span;
use serde_json::Value;
use syn::visit_mut::VisitMut;

/// How an operation's server differs from the API's: the trailing path
/// segments `strip` of the API's server replaced by `add`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebase {
    /// Segments the API's server ends with and the operation's has not
    /// (`/v2`; empty when none).
    pub strip: String,
    /// Segments the operation's server has instead (empty when none).
    pub add: String,
}

/// The first server URL of a `servers` list.
fn first_server(servers: Option<&Value>) -> Option<&str> {
    servers?.as_array()?.first()?.get("url")?.as_str()
}

/// How the server template `own` differs from the API's, `api`: `None`
/// when they are the same; an error when the difference is not in the path
/// alone or involves a variable.
pub fn rebase(api: &str, own: &str) -> Result<Option<Rebase>, String> {
    if api == own {
        return Ok(None);
    }
    let split = |url: &str| -> (String, String) {
        // `scheme://authority` and the path after it.
        let after_scheme = url.find("://").map_or(0, |i| i + 3);
        match url[after_scheme..].find('/') {
            Some(i) => (
                url[..after_scheme + i].to_string(),
                url[after_scheme + i..].to_string(),
            ),
            None => (url.to_string(), String::new()),
        }
    };
    let (api_origin, api_path) = split(api);
    let (own_origin, own_path) = split(own);
    if api_origin != own_origin {
        return Err(format!(
            "its server {own:?} differs from the API's {api:?} in more than the path"
        ));
    }
    let segments = |path: &str| -> Vec<String> {
        path.split('/')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let api_segments = segments(&api_path);
    let own_segments = segments(&own_path);
    let common = api_segments
        .iter()
        .zip(&own_segments)
        .take_while(|(a, b)| a == b)
        .count();
    let tail = |list: &[String]| -> String { list.iter().map(|s| format!("/{s}")).collect() };
    let strip = tail(&api_segments[common..]);
    let add = tail(&own_segments[common..]);
    if strip.contains('{') || add.contains('{') {
        return Err(format!(
            "its server {own:?} differs from the API's {api:?} in a path variable"
        ));
    }
    if strip.is_empty() && add.is_empty() {
        // The same server spelled differently (a trailing slash).
        return Ok(None);
    }
    Ok(Some(Rebase { strip, add }))
}

/// The operations (by method name) whose server differs from the API's, from
/// the normalized spec; an error naming the operation when a difference
/// cannot be expressed as a [`Rebase`].
pub fn collect(spec: &Value) -> Result<BTreeMap<String, Rebase>, String> {
    let mut out = BTreeMap::new();
    let Some(api) = first_server(spec.get("servers")) else {
        return Ok(out);
    };
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return Ok(out);
    };
    for (path, item) in paths {
        let path_server = first_server(item.get("servers"));
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, op) in item {
            if !crate::walk::METHODS.contains(&method.as_str()) {
                continue;
            }
            let Some(own) = first_server(op.get("servers")).or(path_server) else {
                continue;
            };
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            if let Some(rebase) =
                rebase(api, own).map_err(|e| format!("operation {method} {path}: {e}"))?
            {
                out.insert(crate::words::snake(id), rebase);
            }
        }
    }
    Ok(out)
}

/// The generated code's `crate::call::url::Rebase::new("/v2", "")`.
fn rebase_expr(rebase: &Rebase) -> syn::Expr {
    let strip = syn::LitStr::new(&rebase.strip, Span::call_site());
    let add = syn::LitStr::new(&rebase.add, Span::call_site());
    syn::parse_quote!(crate::call::url::Rebase::new(#strip, #add))
}

/// Rewrites the URL of one operation's request code to its own server.
struct OnServer<'a> {
    rebase: &'a Rebase,
    changed: usize,
}

impl VisitMut for OnServer<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        let rebase = rebase_expr(self.rebase);
        match expr {
            // FixedPath::new(path) → FixedPath::rebased(path, Rebase::new(…))
            syn::Expr::Call(call)
                if matches!(&*call.func, syn::Expr::Path(p)
                    if quote::quote!(#p).to_string() == "crate :: call :: url :: FixedPath :: new") =>
            {
                *call.func = syn::parse_quote!(crate::call::url::FixedPath::rebased);
                call.args.push(rebase);
                self.changed += 1;
            }
            // inner.endpoint(&base, parts) → inner.rebased_endpoint(&base, Rebase::new(…), parts)
            syn::Expr::MethodCall(call) if call.method == "endpoint" && call.args.len() == 2 => {
                call.method = syn::Ident::new("rebased_endpoint", call.method.span());
                call.args.insert(1, rebase);
                self.changed += 1;
            }
            _ => {}
        }
    }
}

/// Post-processing step `operation_servers` (see the module docs): every
/// operation in `servers` gets its URL built on its own server. Runs after
/// `url_from_parsed_base`, whose endpoint calls it rewrites. Report: one
/// line per operation, and each operation of `servers` without generated
/// request code (hand-written ones).
pub(crate) fn operation_servers(
    file: &mut syn::File,
    servers: &BTreeMap<String, Rebase>,
) -> Vec<String> {
    struct Visit<'a> {
        servers: &'a BTreeMap<String, Rebase>,
        done: BTreeMap<String, usize>,
    }
    impl VisitMut for Visit<'_> {
        fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
            if let Some(id) = crate::items::operation_id(&f.block)
                && let Some(rebase) = self.servers.get(&id)
            {
                let mut on = OnServer { rebase, changed: 0 };
                on.visit_block_mut(&mut f.block);
                *self.done.entry(id).or_default() += on.changed;
            }
        }
    }
    let mut visit = Visit {
        servers,
        done: BTreeMap::new(),
    };
    visit.visit_file_mut(file);
    document_methods(&mut file.items, servers);
    let mut report = Vec::new();
    for (id, rebase) in servers {
        match visit.done.get(id) {
            Some(1) => report.push(format!(
                "{id}: on the client's base with {} replaced by {}",
                shown(&rebase.strip),
                shown(&rebase.add)
            )),
            Some(n) => report.push(format!(
                "{id}: {n} URL expressions rewritten (expected 1): check the generated code"
            )),
            None => report.push(format!("{id}: no generated request code (hand-written)")),
        }
    }
    report
}

/// Adds to the rustdoc of each `Client` method in `servers` where its
/// request goes, and what happens when the client's base cannot give it.
fn document_methods(items: &mut [syn::Item], servers: &BTreeMap<String, Rebase>) {
    for f in crate::items::client_methods(items) {
        let Some(rebase) = servers.get(&f.sig.ident.to_string()) else {
            continue;
        };
        let text = if rebase.strip.is_empty() {
            format!(
                "\n\n# Server\n\nThe contract serves this operation on a server of its own: the \
                     request goes to the client's base URL followed by `{}`.",
                rebase.add
            )
        } else {
            format!(
                "\n\n# Server\n\nThe contract serves this operation on a server of its own: the \
                     request goes to the client's base URL without its trailing `{strip}`{add} (a SaaS \
                     address keeps its cluster id, a gateway its path prefix). When the base URL does \
                     not end in `{strip}` (an exact address without it), where the operation is served \
                     cannot be derived, and the call fails with \
                     [`ApiError::InvalidRequest`](crate::ApiError::InvalidRequest) before anything is sent.",
                strip = rebase.strip,
                add = if rebase.add.is_empty() {
                    String::new()
                } else {
                    format!(", followed by `{}`", rebase.add)
                },
            )
        };
        f.attrs.push(syn::parse_quote!(#[doc = #text]));
    }
}

fn shown(segments: &str) -> String {
    if segments.is_empty() {
        "nothing".to_string()
    } else {
        format!("`{segments}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(strip: &str, add: &str) -> Option<Rebase> {
        Some(Rebase {
            strip: strip.into(),
            add: add.into(),
        })
    }

    #[test]
    fn the_difference_between_two_servers_is_in_their_path_segments() {
        let api = "{schema}://{host}:{port}/v2";
        assert_eq!(rebase(api, api), Ok(None));
        assert_eq!(rebase(api, "{schema}://{host}:{port}/v2/"), Ok(None));
        assert_eq!(rebase(api, "{schema}://{host}:{port}"), Ok(r("/v2", "")));
        assert_eq!(
            rebase(api, "{schema}://{host}:{port}/v2/admin"),
            Ok(r("", "/admin"))
        );
        assert_eq!(
            rebase("https://h/api/v1", "https://h/api/v2"),
            Ok(r("/v1", "/v2"))
        );
        assert!(rebase(api, "https://other.example.com").is_err());
        assert!(rebase("https://h/{version}", "https://h").is_err());
    }

    #[test]
    fn path_and_operation_servers_are_collected_by_method_name() {
        let server = |url: &str| json!([{ "url": url }]);
        let spec = json!({
            "servers": server("{schema}://{host}:{port}/v2"),
            "paths": {
                "/cluster/v2/status": {
                    "servers": server("{schema}://{host}:{port}"),
                    "get": { "operationId": "getClusterStatus" },
                    "parameters": []
                },
                "/jobs": {
                    "get": { "operationId": "searchJobs" },
                    "post": {
                        "operationId": "postJobs",
                        "servers": server("{schema}://{host}:{port}/v2/beta")
                    }
                }
            }
        });
        let found = collect(&spec).expect("collects");
        assert_eq!(
            found.into_iter().collect::<Vec<_>>(),
            vec![
                ("get_cluster_status".to_string(), r("/v2", "").unwrap()),
                ("post_jobs".to_string(), r("", "/beta").unwrap()),
            ]
        );
        let foreign = json!({
            "servers": server("https://a.example.com/v2"),
            "paths": { "/x": { "servers": server("https://b.example.com"), "get": { "operationId": "x" } } }
        });
        let error = collect(&foreign).expect_err("another host");
        assert!(error.starts_with("operation get /x"), "{error}");
    }

    #[test]
    fn the_request_code_of_an_operation_with_its_own_server_is_rebased() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub fn get_cluster_status(&self) {}
                pub fn get_topology(&self) {}
            }
            impl<'a> GetClusterStatus<'a> {
                async fn send_raw(self) {
                    let url = {
                        static PATH: crate::call::url::FixedPath = crate::call::url::FixedPath::new("/cluster/v2/status");
                        client.inner.fixed_endpoint(&client.baseurl, &PATH).map_err(Error::InvalidRequest)?
                    };
                    let info = OperationInfo { operation_id: "get_cluster_status" };
                }
            }
            impl<'a> GetBackup<'a> {
                async fn send_raw(self) {
                    let url = client.inner.endpoint(&client.baseurl, &["/cluster/v2/backups/", &encode_path(&id)]).map_err(Error::InvalidRequest)?;
                    let info = OperationInfo { operation_id: "get_backup" };
                }
            }
            impl<'a> GetTopology<'a> {
                async fn send_raw(self) {
                    let url = {
                        static PATH: crate::call::url::FixedPath = crate::call::url::FixedPath::new("/topology");
                        client.inner.fixed_endpoint(&client.baseurl, &PATH).map_err(Error::InvalidRequest)?
                    };
                    let info = OperationInfo { operation_id: "get_topology" };
                }
            }
        };
        let servers: BTreeMap<String, Rebase> = [
            ("get_cluster_status", r("/v2", "")),
            ("get_backup", r("/v2", "")),
            ("create_document", r("/v2", "")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.unwrap()))
        .collect();
        let report = operation_servers(&mut file, &servers);
        assert_eq!(
            report,
            vec![
                "create_document: no generated request code (hand-written)",
                "get_backup: on the client's base with `/v2` replaced by nothing",
                "get_cluster_status: on the client's base with `/v2` replaced by nothing",
            ]
        );
        let text = prettyplease::unparse(&file).replace(char::is_whitespace, "");
        assert!(
            text.contains(
                "FixedPath::rebased(\"/cluster/v2/status\",crate::call::url::Rebase::new(\"/v2\",\"\")"
            ),
            "{text}"
        );
        assert!(
            text.contains(".rebased_endpoint(&client.baseurl,crate::call::url::Rebase::new(\"/v2\",\"\"),&[\"/cluster/v2/backups/\""),
            "{text}"
        );
        // Other operations keep the fast path.
        assert!(text.contains("FixedPath::new(\"/topology\""), "{text}");
        assert_eq!(text.matches("Rebase::new").count(), 2, "{text}");
        // The method says where its request goes, once.
        assert_eq!(text.matches("withoutitstrailing`/v2`").count(), 1, "{text}");
    }
}
