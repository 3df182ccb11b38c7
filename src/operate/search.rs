//! Operate's searches as streams: [`Search`] for the request builder of
//! each of the 8 `POST /v1/<resource>/search` operations.
//!
//! Operate pages with `searchAfter`: a page's response carries the
//! `sortValues` of its last item, and the next request sends them back as
//! `searchAfter`, with the same filter and sort. See [`crate::search`] for
//! the stream, its settings and when it ends; `total` is not used to end
//! it (the contract does not say it is exact), so the last request is the
//! one answered with no items or no `sortValues`.

use std::future::Future;

use serde_json::Value;

use super::{builder, types};
use crate::search::{Page, PageResult, Search, paginate_method};

/// Implements [`Search`] (and `paginate()`) for Operate search builders:
/// `operation: Builder -> Item`.
macro_rules! search_after {
    ($($operation:ident: $builder:ident -> $item:ident;)*) => {$(
        impl Search for builder::$builder<'_> {
            type Item = types::$item;
            type Problem = types::ProblemDetail;
            /// The `sortValues` of a page's last item.
            type Cursor = Vec<Value>;

            const OPERATION: &'static str = stringify!($operation);
            const MAX_PAGE_SIZE: u32 = i32::MAX as u32;

            fn fetch_page(
                &self,
                size: u32,
                after: Option<&Self::Cursor>,
            ) -> impl Future<Output = PageResult<Self>> + Send {
                let size = i32::try_from(size).unwrap_or(i32::MAX);
                let after = after.cloned().unwrap_or_default();
                let request = self
                    .clone()
                    .body_map(move |body| body.size(size).search_after(after));
                async move {
                    let results = request.send().await?.into_inner();
                    let next = (!results.sort_values.is_empty()).then_some(results.sort_values);
                    Ok(Page::new(results.items, next, None))
                }
            }
        }

        paginate_method!(builder::$builder<'_>);
    )*};
}

search_after! {
    search_decision_definitions: SearchDecisionDefinitions -> DecisionDefinition;
    search_decision_instances: SearchDecisionInstances -> DecisionInstance;
    search_decision_requirements: SearchDecisionRequirements -> DecisionRequirements;
    search_flownode_instances: SearchFlownodeInstances -> FlowNodeInstance;
    search_incidents: SearchIncidents -> Incident;
    search_process_definitions: SearchProcessDefinitions -> ProcessDefinition;
    search_process_instances: SearchProcessInstances -> ProcessInstance;
    search_variables: SearchVariables -> Variable;
}
