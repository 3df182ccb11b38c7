//! The twenty things a new user writes first, written the way a Rust user
//! writes them: from README and rustdoc, with `&str` for text, plain values
//! for filters, a struct or `json!` for variables, a branch's builder for a
//! union, typed keys fed from one answer into the next call, `?` for errors.
//!
//! Each intent is one function over a `Camunda` built from client
//! credentials: tokens come from a real OAuth2 server and every request goes
//! to Prism serving Camunda's published Orchestration Cluster API, which
//! answers a request that breaks the spec with an error, so an intent that
//! returns `Ok` sent what the contract allows. The worker intent runs
//! against `camunda8_test`'s job engine, the stand-in a user's own tests
//! use.
//!
//! This module exists so that a regression of the ergonomics (issue 19)
//! fails to compile here: `.correlation_key("A-1")` on an optional text
//! member, `Variables` from a struct, a filter from `&str`, a union from a
//! branch's builder, a handler returning a bare `Outcome`, `chrono` through
//! `camunda8::chrono`, an `ElementId` built without a `Result`, the names
//! users search for (`set_variables`).
#![cfg(feature = "orchestration")]

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use camunda8::chrono::{Duration as Span, Utc};
use camunda8::orchestration::keys::{ElementId, JobKey, ProcessInstanceKey, UserTaskKey};
use camunda8::orchestration::types::{
    DecisionEvaluationById, DocumentMetadata, IncidentSearchQueryFilter, IncidentStateEnum,
    JobActivationRequest, ProcessInstanceCreationInstructionById,
    ProcessInstanceCreationInstructionByKey, ProcessInstanceCreationStartInstruction,
    ProcessInstanceSearchQueryFilter, ProcessInstanceStateEnum, UserSearchQueryRequestFilter,
    UserTaskSearchQueryFilter, UserTaskStateEnum, VariableSearchQueryFilter,
};
use camunda8::worker::{Job, Outcome};
use camunda8::{Camunda, Config, RawBody as _, Variables};
use camunda8_test::engine::{Engine, NewJob};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::support::oauth2_server::OAuth2Server;
use crate::support::prism::Prism;
use crate::support::spec;

type Done = Result<(), Box<dyn Error>>;
type Intent<'a> = Pin<Box<dyn Future<Output = Done> + 'a>>;

const ORDER_BPMN: &str = include_str!("../fixtures/orchestration/order-process.bpmn");

/// The variables of the examples: what a user's own type looks like.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
struct Order {
    order_id: String,
    amount: f64,
}

fn order() -> Order {
    Order {
        order_id: "A-1042".into(),
        amount: 129.9,
    }
}

// 1. Deploy a BPMN file.
async fn deploy_a_process(camunda: &Camunda) -> Done {
    let deployment = camunda
        .orchestration()?
        .create_deployment()
        .resource("order-process.bpmn", ORDER_BPMN)
        .send()
        .await?
        .into_inner();
    let deployed = deployment.deployments.first().ok_or("nothing deployed")?;
    let _process = deployed.process_definition.as_ref();
    Ok(())
}

// 2. Start an instance by its BPMN process id, variables from a struct.
async fn start_by_id_with_a_struct(camunda: &Camunda) -> Done {
    let instance = camunda
        .orchestration()?
        .create_process_instance()
        .body(
            ProcessInstanceCreationInstructionById::builder()
                .process_definition_id("order-process")
                .variables(Variables::from_serialize(&order())?),
        )
        .send()
        .await?
        .into_inner();
    let _key: ProcessInstanceKey = instance.process_instance_key;
    Ok(())
}

// 3. Start an instance by process definition key at a given element,
// variables from `json!`.
async fn start_by_key_with_json(camunda: &Camunda) -> Done {
    let at = ProcessInstanceCreationStartInstruction {
        element_id: ElementId::from("review-order"),
    };
    camunda
        .orchestration()?
        .create_process_instance()
        .body(
            ProcessInstanceCreationInstructionByKey::builder()
                .process_definition_key("2251799813686749")
                .start_instructions(vec![at])
                .variables(json!({ "orderId": "A-1042", "express": true })),
        )
        .send()
        .await?;
    Ok(())
}

// 4. Publish a message with a correlation key and variables.
async fn publish_a_message(camunda: &Camunda) -> Done {
    camunda
        .orchestration()?
        .publish_message()
        .body_map(|b| {
            b.name("order-paid")
                .correlation_key("A-1042")
                .time_to_live(60_000)
                .variables(json!({ "paid": true }))
        })
        .send()
        .await?;
    Ok(())
}

// 5. Correlate a message and learn which instance took it.
async fn correlate_a_message(camunda: &Camunda) -> Done {
    let variables = Variables::from_serialize(&order())?;
    let correlated = camunda
        .orchestration()?
        .correlate_message()
        .body_map(|b| {
            b.name("order-paid")
                .correlation_key("A-1042")
                .variables(variables)
        })
        .send()
        .await?
        .into_inner();
    let _instance = correlated.process_instance_key;
    Ok(())
}

// 6. Broadcast a signal.
async fn broadcast_a_signal(camunda: &Camunda) -> Done {
    camunda
        .orchestration()?
        .broadcast_signal()
        .body_map(|b| {
            b.signal_name("order-cancelled")
                .variables(json!({ "reason": "customer request" }))
        })
        .send()
        .await?;
    Ok(())
}

// 7. Find the active instances of a process: a filter from plain values.
async fn search_active_instances(camunda: &Camunda) -> Done {
    let filter = ProcessInstanceSearchQueryFilter {
        process_definition_id: Some("order-process".into()),
        state: Some(ProcessInstanceStateEnum::Active.into()),
        ..Default::default()
    };
    let page = camunda
        .orchestration()?
        .search_process_instances()
        .body_map(|b| b.filter(filter))
        .send()
        .await?
        .into_inner();
    for instance in &page.items {
        let _ = (&instance.process_instance_key, &instance.state);
    }
    Ok(())
}

// 8. Read one instance by its key, given as text.
async fn get_an_instance(camunda: &Camunda) -> Done {
    let instance = camunda
        .orchestration()?
        .get_process_instance()
        .process_instance_key("2251799813690746")
        .send()
        .await?
        .into_inner();
    let _started = instance.start_date;
    Ok(())
}

// 9. Cancel an instance.
async fn cancel_an_instance(camunda: &Camunda) -> Done {
    let key: ProcessInstanceKey = "2251799813690746".parse()?;
    camunda
        .orchestration()?
        .cancel_process_instance()
        .process_instance_key(key)
        .send()
        .await?;
    Ok(())
}

// 10. Set variables in an instance's scope (the name users search for).
async fn set_variables(camunda: &Camunda) -> Done {
    let variables = Variables::from_serialize(&order())?;
    camunda
        .orchestration()?
        .set_variables()
        .element_instance_key("2251799813690746")
        .body_map(|b| b.variables(variables).local(true))
        .send()
        .await?;
    Ok(())
}

// 11. Read an instance's variables back.
async fn search_variables(camunda: &Camunda) -> Done {
    let filter = VariableSearchQueryFilter {
        process_instance_key: Some("2251799813690746".try_into()?),
        name: Some("orderId".into()),
        ..Default::default()
    };
    let page = camunda
        .orchestration()?
        .search_variables()
        .body_map(|b| b.filter(filter))
        .send()
        .await?
        .into_inner();
    for variable in &page.items {
        let _ = (&variable.name, &variable.value);
    }
    Ok(())
}

// 12. Activate jobs by hand and complete one with a struct's variables.
async fn activate_and_complete(camunda: &Camunda) -> Done {
    let orchestration = camunda.orchestration()?;
    let activated = orchestration
        .activate_jobs()
        .body(
            JobActivationRequest::builder()
                .type_("payment")
                .worker("billing")
                .timeout(30_000)
                .max_jobs_to_activate(10),
        )
        .send()
        .await?
        .into_inner();
    for job in &activated.jobs {
        let _: JobKey = job.job_key.clone();
    }
    let variables = Variables::from_serialize(&order())?;
    orchestration
        .complete_job()
        .job_key("2251799813690771")
        .body_map(|b| b.variables(variables))
        .send()
        .await?;
    Ok(())
}

// 13. Fail a job with a message and fewer retries, or throw a BPMN error.
async fn fail_or_throw(camunda: &Camunda) -> Done {
    let orchestration = camunda.orchestration()?;
    orchestration
        .fail_job()
        .job_key("2251799813690771")
        .body_map(|b| {
            b.retries(2)
                .error_message("payment gateway timed out")
                .retry_back_off(30_000)
        })
        .send()
        .await?;
    orchestration
        .throw_job_error()
        .job_key("2251799813690771")
        .body_map(|b| {
            b.error_code("STOCK_UNAVAILABLE")
                .error_message("SKU 4711 is out of stock")
        })
        .send()
        .await?;
    Ok(())
}

// 14. Find my open user tasks, then claim and complete one.
async fn claim_and_complete_a_task(camunda: &Camunda) -> Done {
    let orchestration = camunda.orchestration()?;
    let filter = UserTaskSearchQueryFilter {
        assignee: Some("jane.doe".into()),
        state: Some(UserTaskStateEnum::Created.into()),
        ..Default::default()
    };
    let tasks = orchestration
        .search_user_tasks()
        .body_map(|b| b.filter(filter))
        .send()
        .await?
        .into_inner();
    let task: UserTaskKey = match tasks.items.first() {
        Some(task) => task.user_task_key.clone(),
        None => "2251799813690785".parse()?,
    };
    orchestration
        .assign_user_task()
        .user_task_key(task.clone())
        .body_map(|b| b.assignee("jane.doe").allow_override(true))
        .send()
        .await?;
    orchestration
        .complete_user_task()
        .user_task_key(task)
        .body_map(|b| b.variables(json!({ "approved": true })))
        .send()
        .await?;
    Ok(())
}

// 15. Find active incidents and resolve one.
async fn resolve_an_incident(camunda: &Camunda) -> Done {
    let orchestration = camunda.orchestration()?;
    let filter = IncidentSearchQueryFilter {
        state: Some(IncidentStateEnum::Active.into()),
        process_definition_id: Some("order-process".into()),
        ..Default::default()
    };
    let incidents = orchestration
        .search_incidents()
        .body_map(|b| b.filter(filter))
        .send()
        .await?
        .into_inner();
    let _ = incidents.items.len();
    orchestration
        .resolve_incident()
        .incident_key("2251799813690793")
        .send()
        .await?;
    Ok(())
}

// 16. Evaluate a decision by its id with variables from a struct.
async fn evaluate_a_decision(camunda: &Camunda) -> Done {
    let evaluated = camunda
        .orchestration()?
        .evaluate_decision()
        .body(
            DecisionEvaluationById::builder()
                .decision_definition_id("invoice-classification")
                .variables(Variables::from_serialize(&order())?),
        )
        .send()
        .await?
        .into_inner();
    let _ = evaluated.output;
    Ok(())
}

// 17. Ask the cluster for its topology.
async fn topology(camunda: &Camunda) -> Done {
    let topology = camunda.orchestration()?.get_topology().send().await?;
    let _ = topology.brokers.len();
    Ok(())
}

// 18. Upload a document that expires tomorrow, then download it.
async fn upload_and_download_a_document(camunda: &Camunda) -> Done {
    let orchestration = camunda.orchestration()?;
    let metadata = DocumentMetadata {
        file_name: Some("invoice.txt".into()),
        expires_at: Some(Utc::now() + Span::days(1)),
        ..Default::default()
    };
    let reference = orchestration
        .create_document()
        .file("invoice.txt", &b"total: 129.90 EUR"[..])
        .metadata(metadata)
        .send()
        .await?
        .into_inner();
    let text = orchestration
        .get_document()
        .document_id(reference.document_id)
        .send()
        .await?
        .text()
        .await?;
    let _ = text.len();
    Ok(())
}

// 19. Create a user and find users by name.
async fn create_and_find_users(camunda: &Camunda) -> Done {
    let orchestration = camunda.orchestration()?;
    orchestration
        .create_user()
        .body_map(|b| {
            b.username("jane.doe")
                .password("S3cure-Passw0rd!")
                .name("Jane Doe")
                .email("jane.doe@example.com")
        })
        .send()
        .await?;
    let filter = UserSearchQueryRequestFilter {
        name: Some("Jane Doe".into()),
        ..Default::default()
    };
    let users = orchestration
        .search_users()
        .body_map(|b| b.filter(filter))
        .send()
        .await?
        .into_inner();
    let _ = users.items.len();
    Ok(())
}

/// Runs each intent once against Prism; every one must succeed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calls_users_write_first_are_valid_requests() {
    let oauth = OAuth2Server::start();
    let prism = Prism::serve(&spec::served_orchestration_spec()).await;
    let camunda = Config::new()
        .oauth_url(oauth.token_url().as_str())
        .client_credentials("orders-app", "intents-client-secret")
        .orchestration_url(prism.base_url())
        .orchestration_url_exact(true)
        .allow_insecure_http(true)
        .build()
        .expect("a client from client credentials");

    let intents: Vec<(&str, Intent<'_>)> = vec![
        ("deploy a process", Box::pin(deploy_a_process(&camunda))),
        (
            "start by id with a struct",
            Box::pin(start_by_id_with_a_struct(&camunda)),
        ),
        (
            "start by key with json!",
            Box::pin(start_by_key_with_json(&camunda)),
        ),
        ("publish a message", Box::pin(publish_a_message(&camunda))),
        (
            "correlate a message",
            Box::pin(correlate_a_message(&camunda)),
        ),
        ("broadcast a signal", Box::pin(broadcast_a_signal(&camunda))),
        (
            "search active instances",
            Box::pin(search_active_instances(&camunda)),
        ),
        ("get an instance", Box::pin(get_an_instance(&camunda))),
        ("cancel an instance", Box::pin(cancel_an_instance(&camunda))),
        ("set variables", Box::pin(set_variables(&camunda))),
        ("search variables", Box::pin(search_variables(&camunda))),
        (
            "activate and complete jobs",
            Box::pin(activate_and_complete(&camunda)),
        ),
        ("fail or throw", Box::pin(fail_or_throw(&camunda))),
        (
            "claim and complete a task",
            Box::pin(claim_and_complete_a_task(&camunda)),
        ),
        (
            "resolve an incident",
            Box::pin(resolve_an_incident(&camunda)),
        ),
        (
            "evaluate a decision",
            Box::pin(evaluate_a_decision(&camunda)),
        ),
        ("topology", Box::pin(topology(&camunda))),
        (
            "upload and download a document",
            Box::pin(upload_and_download_a_document(&camunda)),
        ),
        (
            "create and find users",
            Box::pin(create_and_find_users(&camunda)),
        ),
    ];
    let mut failures = Vec::new();
    let count = intents.len();
    for (name, intent) in intents {
        if let Err(error) = intent.await {
            failures.push(format!("{name}: {error}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} intents failed against Prism:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// 20. A job worker whose handler cannot fail returns a bare `Outcome`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_pays_orders() {
    let engine = Engine::start().await;
    let key = engine
        .create(NewJob::new("payment").variables(json!({ "orderId": "A-1042", "amount": 21.0 })));
    let camunda = engine.config().build().expect("client for the engine");
    let worker = camunda
        .worker("payment")
        .expect("worker")
        .max_concurrent_jobs(8)
        .spawn(|job: Job| async move {
            match job.variables::<Order>() {
                Ok(order) => Outcome::complete_with(&json!({ "paid": order.amount * 2.0 })),
                Err(e) => Outcome::fail(format!("not an order: {e}")),
            }
        })
        .expect("spawn");
    let summary = engine
        .wait_for(Duration::from_secs(10), |s| s.completed == 1)
        .await;
    worker.shutdown(Duration::from_secs(1)).await;
    assert_eq!(summary.completed, 1, "{summary:?}");
    assert_eq!(
        engine.job(key).and_then(|job| job.result_variables),
        Some(json!({ "paid": 42.0 }))
    );
}
