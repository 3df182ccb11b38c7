//! The Orchestration Cluster API's searches as streams: [`Search`] for the
//! request builder of every `search_*` operation (48: all `POST …/search`
//! operations of the contract).
//!
//! Cursor pages (47 operations): a page's response carries
//! `page.endCursor`, and the next request sends it as
//! `page: {after, limit}`, with the same filter, sort, path and query
//! parameters. The stream ends when `endCursor` is null, when a page is
//! empty, or when the items received reach `page.totalItems` while
//! `page.hasMoreTotalItems` is false (the count is then exact).
//!
//! Offset pages (`search_user_task_effective_variables`, whose contract
//! takes `page: {from, limit}` only): `from` advances by the number of items
//! received; the same end rules apply (there is no cursor to repeat).
//!
//! See [`crate::search`] for the stream, its settings and the error items.

use std::future::Future;

use super::{builder, types};
use crate::ApiError;
use crate::search::{Page, PageResult, Search, paginate_method};
use types::ProblemDetail;

/// The largest `page.limit` the contract accepts (`maximum: 10000`).
const MAX_LIMIT: u32 = 10_000;

/// The exact number of matching items, if the page says it is exact.
fn exact_total(page: &types::SearchQueryPageResponse) -> Option<u64> {
    if page.has_more_total_items {
        None
    } else {
        u64::try_from(page.total_items).ok()
    }
}

/// Implements [`Search`] (and `paginate()`) for cursor-paged search
/// builders, whose `page` is the contract's `SearchQueryPageRequest`:
/// `operation: Builder -> Item, Problem`.
macro_rules! cursor_search {
    ($($operation:ident: $builder:ident -> $item:ident, $problem:ty;)*) => {$(
        impl Search for builder::$builder<'_> {
            type Item = types::$item;
            type Problem = $problem;
            /// A page's `endCursor`.
            type Cursor = types::SearchQueryPageResponseEndCursor;

            const OPERATION: &'static str = stringify!($operation);
            const MAX_PAGE_SIZE: u32 = MAX_LIMIT;

            fn fetch_page(
                &self,
                size: u32,
                after: Option<&Self::Cursor>,
            ) -> impl Future<Output = PageResult<Self>> + Send {
                let limit = i32::try_from(size.min(MAX_LIMIT)).unwrap_or(i32::MAX);
                let request = after
                    .map(|cursor| types::CursorForwardPaginationAfter::try_from(cursor.as_str()))
                    .transpose()
                    .map(|after| {
                        let page = types::CursorForwardPagination {
                            after,
                            limit: Some(limit),
                        };
                        self.clone()
                            .body_map(move |body| body.page(Some(types::SearchQueryPageRequest::from(page))))
                    })
                    .map_err(|e| ApiError::InvalidRequest {
                        message: format!("page cursor: {e}"),
                    });
                async move {
                    let result = request?.send().await?.into_inner();
                    let total = exact_total(&result.page);
                    Ok(Page::new(result.items, result.page.end_cursor, total))
                }
            }
        }

        paginate_method!(builder::$builder<'_>);
    )*};
}

cursor_search! {
    search_agent_definitions: SearchAgentDefinitions -> AgentDefinitionResult, ProblemDetail;
    search_agent_instances: SearchAgentInstances -> AgentInstanceResult, ProblemDetail;
    search_agent_instance_history: SearchAgentInstanceHistory -> AgentInstanceHistoryItemResult, ProblemDetail;
    search_audit_logs: SearchAuditLogs -> AuditLogResult, ProblemDetail;
    search_own_authorizations: SearchOwnAuthorizations -> AuthorizationResult, ProblemDetail;
    search_authorizations: SearchAuthorizations -> AuthorizationResult, ProblemDetail;
    search_batch_operation_items: SearchBatchOperationItems -> BatchOperationItemResponse, ProblemDetail;
    search_batch_operations: SearchBatchOperations -> BatchOperationResponse, ProblemDetail;
    search_cluster_variables: SearchClusterVariables -> ClusterVariableSearchResult, ProblemDetail;
    search_correlated_message_subscriptions: SearchCorrelatedMessageSubscriptions -> CorrelatedMessageSubscriptionResult, ProblemDetail;
    search_decision_definitions: SearchDecisionDefinitions -> DecisionDefinitionResult, ProblemDetail;
    search_decision_instances: SearchDecisionInstances -> DecisionInstanceResult, ProblemDetail;
    search_decision_requirements: SearchDecisionRequirements -> DecisionRequirementsResult, ProblemDetail;
    search_element_instances: SearchElementInstances -> ElementInstanceResult, ProblemDetail;
    search_element_instance_wait_states: SearchElementInstanceWaitStates -> ElementInstanceWaitStateResult, ProblemDetail;
    search_element_instance_incidents: SearchElementInstanceIncidents -> IncidentResult, ProblemDetail;
    search_global_task_listeners: SearchGlobalTaskListeners -> GlobalTaskListenerResult, ProblemDetail;
    search_groups: SearchGroups -> GroupResult, ProblemDetail;
    search_clients_for_group: SearchClientsForGroup -> GroupClientResult, ProblemDetail;
    search_mapping_rules_for_group: SearchMappingRulesForGroup -> MappingRuleResult, ProblemDetail;
    search_roles_for_group: SearchRolesForGroup -> RoleResult, ProblemDetail;
    search_users_for_group: SearchUsersForGroup -> GroupUserResult, ProblemDetail;
    search_incidents: SearchIncidents -> IncidentResult, ProblemDetail;
    search_jobs: SearchJobs -> JobSearchResult, ProblemDetail;
    search_mapping_rules: SearchMappingRules -> MappingRuleResult, ProblemDetail;
    search_message_subscriptions: SearchMessageSubscriptions -> MessageSubscriptionResult, ProblemDetail;
    search_process_definitions: SearchProcessDefinitions -> ProcessDefinitionResult, ProblemDetail;
    search_process_definition_variable_names: SearchProcessDefinitionVariableNames -> ProcessDefinitionVariableNameSearchResult, ProblemDetail;
    search_process_instances: SearchProcessInstances -> ProcessInstanceResult, ProblemDetail;
    search_process_instance_incidents: SearchProcessInstanceIncidents -> IncidentResult, ProblemDetail;
    search_resources: SearchResources -> ResourceResult, ProblemDetail;
    search_roles: SearchRoles -> RoleResult, ProblemDetail;
    search_clients_for_role: SearchClientsForRole -> RoleClientResult, ProblemDetail;
    search_groups_for_role: SearchGroupsForRole -> RoleGroupResult, ProblemDetail;
    search_mapping_rules_for_role: SearchMappingRulesForRole -> MappingRuleResult, ProblemDetail;
    search_users_for_role: SearchUsersForRole -> RoleUserResult, ProblemDetail;
    search_tenants: SearchTenants -> TenantResult, ProblemDetail;
    search_clients_for_tenant: SearchClientsForTenant -> TenantClientResult, ();
    search_group_ids_for_tenant: SearchGroupIdsForTenant -> TenantGroupResult, ();
    search_mapping_rules_for_tenant: SearchMappingRulesForTenant -> MappingRuleResult, ();
    search_roles_for_tenant: SearchRolesForTenant -> RoleResult, ();
    search_users_for_tenant: SearchUsersForTenant -> TenantUserResult, ();
    search_user_tasks: SearchUserTasks -> UserTaskResult, ProblemDetail;
    search_user_task_audit_logs: SearchUserTaskAuditLogs -> AuditLogResult, ProblemDetail;
    search_user_task_variables: SearchUserTaskVariables -> VariableSearchResult, ProblemDetail;
    search_users: SearchUsers -> UserResult, ProblemDetail;
    search_variables: SearchVariables -> VariableSearchResult, ProblemDetail;
}

impl Search for builder::SearchUserTaskEffectiveVariables<'_> {
    type Item = types::VariableSearchResult;
    type Problem = ProblemDetail;
    /// The offset (`page.from`) of the next page.
    type Cursor = u64;

    const OPERATION: &'static str = "search_user_task_effective_variables";
    const MAX_PAGE_SIZE: u32 = MAX_LIMIT;

    fn fetch_page(
        &self,
        size: u32,
        after: Option<&Self::Cursor>,
    ) -> impl Future<Output = PageResult<Self>> + Send {
        let limit = i32::try_from(size.min(MAX_LIMIT)).unwrap_or(i32::MAX);
        let from = after.copied().unwrap_or(0);
        let request = i32::try_from(from)
            .map(|offset| {
                let page = types::UserTaskEffectiveVariableSearchQueryRequestPage {
                    from: Some(offset),
                    limit: Some(limit),
                };
                self.clone().body_map(move |body| body.page(Some(page)))
            })
            .map_err(|_| ApiError::InvalidRequest {
                message: format!("page offset {from} is beyond what the API accepts"),
            });
        async move {
            let result = request?.send().await?.into_inner();
            let total = exact_total(&result.page);
            let next = from.saturating_add(result.items.len() as u64);
            Ok(Page::new(result.items, Some(next), total))
        }
    }
}

paginate_method!(builder::SearchUserTaskEffectiveVariables<'_>);
