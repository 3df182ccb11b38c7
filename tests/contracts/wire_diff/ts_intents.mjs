// The TypeScript half of tests/contracts/wire_diff/mod.rs: runs each user
// intent through Camunda's official client `@camunda8/orchestration-cluster-api` against the
// recording server whose address is the first argument.
//
// Before each intent it posts `/__intent/<name>` to the recording server, so
// that the server files what follows under that intent; after it, it posts
// `/__done/<name>` with `{"ok": bool, "error": string}`. Those two are plain
// `fetch` calls, not the client's. The intents and their data must stay in
// step with `rust_intents` in tests/contracts/wire_diff/mod.rs: same names,
// same order, same values.

import createCamundaClient from '@camunda8/orchestration-cluster-api';

const base = process.argv[2];
if (!base) {
  console.error('usage: node ts_intents.mjs <recording server URL>');
  process.exit(2);
}

const camunda = createCamundaClient({
  config: {
    CAMUNDA_REST_ADDRESS: base,
    CAMUNDA_AUTH_STRATEGY: 'BASIC',
    CAMUNDA_BASIC_AUTH_USERNAME: 'wire',
    CAMUNDA_BASIC_AUTH_PASSWORD: 'wire-secret',
    // One attempt per call: the recording server never signals backpressure,
    // and a retry would only make a failing run slower.
    CAMUNDA_SDK_HTTP_RETRY_MAX_ATTEMPTS: 1,
    CAMUNDA_SDK_VALIDATION: 'none',
    CAMUNDA_SDK_LOG_LEVEL: 'silent',
    CAMUNDA_SDK_BACKPRESSURE_PROFILE: 'LEGACY',
  },
});

// Eventually consistent calls take a second argument; without `consistency`
// the client calls once and does not poll.
const once = {};

const BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="start"/>
  </bpmn:process>
</bpmn:definitions>
`;

const JOB = '2251799813685249';
const USER_TASK = '2251799813685250';
const INCIDENT = '2251799813685251';
const ELEMENT_INSTANCE = '2251799813685252';
const PROCESS_INSTANCE = '2251799813685253';
const PROCESS_DEFINITION = '2251799813685254';
const DECISION_DEFINITION = '2251799813685255';
const BATCH_OPERATION = '2251799813685256';

/** Runs a worker until it has completed one job, then stops it. */
async function workerRun() {
  let done;
  const completed = new Promise((resolve) => {
    done = resolve;
  });
  const worker = camunda.createJobWorker({
    jobType: 'wire-payment',
    workerName: 'wire-worker',
    maxParallelJobs: 4,
    jobTimeoutMs: 30000,
    pollTimeoutMs: 1000,
    pollIntervalMs: 50,
    jobHandler: async (job) => {
      // `complete` takes the variables themselves (its README example
      // wraps them in `{ variables }`, which would send them nested).
      const receipt = await job.complete({ paid: true });
      done();
      return receipt;
    },
  });
  const timeout = setTimeout(() => done(new Error('no job completed in 10 s')), 10000);
  const outcome = await completed;
  clearTimeout(timeout);
  worker.stop();
  if (outcome instanceof Error) throw outcome;
}

const intents = [
  ['deploy_bpmn', () =>
    camunda.createDeployment({
      resources: [new File([BPMN], 'order.bpmn', { type: 'application/xml' })],
    })],
  ['start_by_id', () => camunda.createProcessInstance({ processDefinitionId: 'order' })],
  ['start_by_key', () => camunda.createProcessInstance({ processDefinitionKey: PROCESS_DEFINITION })],
  ['start_with_variables', () =>
    camunda.createProcessInstance({
      processDefinitionId: 'order',
      variables: { amount: 12.5, customer: 'ada', items: [1, 2] },
    })],
  ['publish_message', () =>
    camunda.publishMessage({
      name: 'payment-received',
      correlationKey: 'order-7',
      timeToLive: 60000,
      variables: { paid: true },
    })],
  ['correlate_message', () =>
    camunda.correlateMessage({
      name: 'payment-received',
      correlationKey: 'order-7',
      variables: { paid: true },
    })],
  ['broadcast_signal', () =>
    camunda.broadcastSignal({ signalName: 'stop-all', variables: { reason: 'audit' } })],
  ['evaluate_decision_by_id', () =>
    camunda.evaluateDecision({ decisionDefinitionId: 'discount', variables: { amount: 100 } })],
  ['evaluate_decision_by_key', () =>
    camunda.evaluateDecision({ decisionDefinitionKey: DECISION_DEFINITION, variables: { amount: 100 } })],
  ['activate_jobs', () =>
    camunda.activateJobs({
      type: 'payment',
      worker: 'wire-worker',
      maxJobsToActivate: 5,
      timeout: 30000,
      requestTimeout: 1000,
      fetchVariable: ['amount'],
    })],
  ['complete_job', () => camunda.completeJob({ jobKey: JOB, variables: { paid: true } })],
  ['complete_job_no_variables', () => camunda.completeJob({ jobKey: JOB })],
  ['fail_job', () =>
    camunda.failJob({ jobKey: JOB, retries: 2, errorMessage: 'card declined', retryBackOff: 1000 })],
  ['throw_job_error', () =>
    camunda.throwJobError({
      jobKey: JOB,
      errorCode: 'PAYMENT_FAILED',
      errorMessage: 'card declined',
      variables: { reason: 'declined' },
    })],
  ['update_job', () => camunda.updateJob({ jobKey: JOB, changeset: { retries: 5, timeout: 60000 } })],
  ['search_process_instances', () =>
    camunda.searchProcessInstances(
      {
        filter: { processDefinitionId: 'order', state: 'ACTIVE' },
        sort: [{ field: 'startDate', order: 'DESC' }],
        page: { limit: 10 },
      },
      once,
    )],
  ['search_incidents', () =>
    camunda.searchIncidents({ filter: { processInstanceKey: PROCESS_INSTANCE, state: 'ACTIVE' } }, once)],
  ['search_user_tasks', () =>
    camunda.searchUserTasks({ filter: { assignee: 'ada', state: 'CREATED' }, page: { limit: 5 } }, once)],
  ['search_variables', () =>
    camunda.searchVariables({ filter: { processInstanceKey: PROCESS_INSTANCE, name: 'amount' } }, once)],
  ['search_jobs', () => camunda.searchJobs({ filter: { type: 'payment', state: 'CREATED' } }, once)],
  ['search_process_instances_no_body', () => camunda.searchProcessInstances({}, once)],
  ['assign_user_task', () =>
    camunda.assignUserTask({ userTaskKey: USER_TASK, assignee: 'ada', allowOverride: true })],
  ['unassign_user_task', () => camunda.unassignUserTask({ userTaskKey: USER_TASK })],
  ['complete_user_task', () =>
    camunda.completeUserTask({ userTaskKey: USER_TASK, variables: { approved: true } })],
  ['update_user_task', () =>
    camunda.updateUserTask({
      userTaskKey: USER_TASK,
      changeset: { candidateGroups: ['sales'], priority: 80 },
    })],
  ['resolve_incident', () => camunda.resolveIncident({ incidentKey: INCIDENT })],
  ['set_variables', () =>
    camunda.createElementInstanceVariables({
      elementInstanceKey: ELEMENT_INSTANCE,
      variables: { approved: true, note: 'ok' },
      local: true,
    })],
  ['cancel_process_instance', () => camunda.cancelProcessInstance({ processInstanceKey: PROCESS_INSTANCE })],
  ['create_document', () =>
    camunda.createDocument({
      file: new File(['hello, document'], 'hello.txt', { type: 'text/plain' }),
      metadata: { fileName: 'hello.txt', customProperties: { origin: 'wire' } },
      storeId: 'in-memory',
    })],
  ['create_documents', () =>
    camunda.createDocuments({
      files: [
        new File(['first'], 'a.txt', { type: 'text/plain' }),
        new File(['{"second":2}'], 'b.json', { type: 'application/json' }),
      ],
      metadataList: [
        { fileName: 'a.txt', customProperties: { n: 1 } },
        { fileName: 'b.json', customProperties: { n: 2 } },
      ],
      storeId: 'in-memory',
    })],
  ['get_topology', () => camunda.getTopology()],
  ['get_status', () => camunda.getStatus()],
  // Version 8.8.4 of the client has no method for the `/cluster/v2/*`
  // operations: the request the contract describes (path-level server, the
  // gateway's root) is sent with the client's own credentials, as a user of
  // it would have to.
  ['cluster_v2_status', async () => {
    const headers = await camunda.getAuthHeaders();
    const response = await fetch(new URL('/cluster/v2/status', base), {
      headers: { ...headers, accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }],
  ['cancel_batch_operation', () => camunda.cancelBatchOperation({ batchOperationKey: BATCH_OPERATION }, once)],
  ['worker_run', workerRun],
];

async function mark(kind, name, body) {
  await fetch(`${base}/__${kind}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
}

for (const [name, run] of intents) {
  await mark('intent', name);
  try {
    await run();
    await mark('done', name, { ok: true });
  } catch (e) {
    await mark('done', name, { ok: false, error: String(e?.message ?? e) });
  }
}
await mark('intent', '__end');
camunda.stopAllWorkers?.();
process.exit(0);
