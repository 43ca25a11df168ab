// Drives `workflows serve --virtual-clock` with the official AWS SDK for JavaScript v3 (@aws-sdk/client-sfn,
// pinned in package.json / package-lock.json): the SDK signs every request and parses every awsJson1_0 response and
// error, so a wire-level disagreement with Step Functions fails here. @aws-sdk/client-eventbridge (also pinned)
// does the same for EventBridge (awsJson1_1, service "events") on the same endpoint.
//
//   WORKFLOWS_DLL  a built workflows.dll (default: local/Workflows.Cli/bin/Debug/net10.0/workflows.dll); the suite
//                  builds nothing itself and fails naming the path when it is absent.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import {
  SFNClient, ListStateMachinesCommand, StartExecutionCommand, DescribeExecutionCommand,
  GetExecutionHistoryCommand, ValidateStateMachineDefinitionCommand, ExecutionDoesNotExist,
  ListExecutionsCommand, CreateStateMachineCommand, UpdateStateMachineCommand, DeleteStateMachineCommand,
  DescribeStateMachineCommand, StateMachineDoesNotExist, StartSyncExecutionCommand, StateMachineTypeNotSupported,
  DescribeStateMachineForExecutionCommand, TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand,
  StopExecutionCommand, RedriveExecutionCommand, TestStateCommand, ValidationException,
} from "@aws-sdk/client-sfn";
import {
  EventBridgeClient, PutEventsCommand, TestEventPatternCommand, DescribeRuleCommand, InvalidEventPatternException,
  ListRulesCommand,
} from "@aws-sdk/client-eventbridge";
import { LambdaClient, InvokeCommand, ResourceNotFoundException } from "@aws-sdk/client-lambda";
import { DSQLClient, ListClustersCommand } from "@aws-sdk/client-dsql";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "..", "..");
const READY = /^Ready: /;
const ENDPOINT = /^Step Functions: (http:\/\/127\.0\.0\.1:\d+)\s*$/;
const DSQL_LINE = /^DSQL: (http:\/\/127\.0\.0\.1:\d+)\s*$/;
const ACCOUNT = "123456789012";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/JsSdkRole`;

let serve;
let client;
let events;
let endpointUrl;
let dsqlUrl;
let lambda;

before(async () => {
  const dll = resolve(process.env.WORKFLOWS_DLL ?? join(repoRoot, "local", "Workflows.Cli", "bin", "Debug", "net10.0", "workflows.dll"));
  if (!existsSync(dll)) {
    throw new Error(`${dll} does not exist: build it with dotnet build local/Workflows.Cli (or set WORKFLOWS_DLL)`);
  }

  const stateDir = mkdtempSync(join(tmpdir(), "serve-compat-"));
  const child = spawn("dotnet", [dll, "serve", "--virtual-clock", "--port", "0", "--seed", "5", "--state-dir", stateDir, "--template", join(repoRoot, "template.yaml")], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = await new Promise((resolveUrl, reject) => {
    let endpoint;
    const timer = setTimeout(() => reject(new Error(`serve printed no ready line within 120 s:\n${output}`)), 120_000);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      for (const line of output.split("\n")) {
        endpoint ??= ENDPOINT.exec(line)?.[1];
        dsqlUrl ??= DSQL_LINE.exec(line)?.[1];
        if (READY.test(line) && endpoint) {
          clearTimeout(timer);
          resolveUrl(endpoint);
        }
      }
    });
    child.stderr.on("data", (chunk) => { output += chunk; });
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}:\n${output}`)); });
  });
  serve = { child, stateDir };
  endpointUrl = url;
  const config = {
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIADSQLLOCALEXAMPLE", secretAccessKey: "dsql-local-secret-access-key" },
  };
  // TestState and StartSyncExecution carry the model's "sync-" host prefix; a local endpoint has no such host.
  client = new SFNClient({ ...config, disableHostPrefix: true });
  events = new EventBridgeClient(config);
  lambda = new LambdaClient(config);
});

after(async () => {
  client?.destroy();
  events?.destroy();
  lambda?.destroy();
  if (serve) {
    const exited = new Promise((r) => serve.child.once("exit", r));
    serve.child.kill("SIGTERM");
    await exited;
    rmSync(serve.stateDir, { recursive: true, force: true });
  }
});

/** Bounded: DescribeExecution back to back (the virtual clock finishes a provisioning in well under a second). */
async function untilClosed(executionArn) {
  for (let attempt = 0; attempt < 2000; attempt++) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== "RUNNING") {
      return described;
    }
  }
  throw new Error(`${executionArn} still RUNNING after 2000 DescribeExecution calls`);
}

test("ListStateMachines lists the template's three machines with Date creation dates", async () => {
  const listed = await client.send(new ListStateMachinesCommand({}));
  assert.deepEqual(listed.stateMachines.map((m) => m.name), ["ProvisionStateMachine", "TeardownStateMachine", "UpdateStateMachine"]);
  assert.ok(listed.stateMachines[0].creationDate instanceof Date);
});

test("StartExecution with events/provision-input.json SUCCEEDS and its history ends with ExecutionSucceeded", async () => {
  const input = readFileSync(join(repoRoot, "events", "provision-input.json"), "utf8");
  const started = await client.send(new StartExecutionCommand({
    stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionStateMachine",
    name: "js-sdk-provision",
    input,
  }));
  assert.match(started.executionArn, /:execution:ProvisionStateMachine:js-sdk-provision$/);
  const described = await untilClosed(started.executionArn);
  assert.equal(described.status, "SUCCEEDED", JSON.stringify(described));
  assert.ok(described.stopDate >= described.startDate);
  const history = await client.send(new GetExecutionHistoryCommand({ executionArn: started.executionArn, reverseOrder: true, maxResults: 1 }));
  assert.equal(history.events[0].type, "ExecutionSucceeded");
  assert.ok(history.nextToken, "a page of one event has a next page");
});

test("DescribeExecution of an unknown execution throws the SDK's ExecutionDoesNotExist", async () => {
  await assert.rejects(
    client.send(new DescribeExecutionCommand({ executionArn: "arn:aws:states:us-east-1:123456789012:execution:ProvisionStateMachine:none" })),
    (e) => e instanceof ExecutionDoesNotExist && e.$metadata.httpStatusCode === 400,
  );
});

test("ValidateStateMachineDefinition reports a missing Next as FAIL with a diagnostic", async () => {
  const result = await client.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: "A", States: { A: { Type: "Pass" } } }) }));
  assert.equal(result.result, "FAIL");
  assert.equal(result.diagnostics[0].severity, "ERROR");
});

/** The request event of events/ as a PutEvents entry on the template's bus. */
function requestEntry(file) {
  const evt = JSON.parse(readFileSync(join(repoRoot, "events", file), "utf8"));
  return { EventBusName: "workflows", Source: evt.source, DetailType: evt["detail-type"], Detail: JSON.stringify(evt.detail) };
}

test("PutEvents of events/provision-requested-event.json starts ProvisionStateMachine, which SUCCEEDS and announces the pair on the bus", async () => {
  const machine = "arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionStateMachine";
  const before = new Set((await client.send(new ListExecutionsCommand({ stateMachineArn: machine }))).executions.map((e) => e.executionArn));
  const put = await events.send(new PutEventsCommand({ Entries: [requestEntry("provision-requested-event.json")] }));
  assert.equal(put.FailedEntryCount, 0);
  assert.match(put.Entries[0].EventId, /^[0-9a-f-]{36}$/);
  // Bounded: ListExecutions back to back until the rule's delivery has started the execution.
  let started;
  for (let attempt = 0; attempt < 500 && !started; attempt++) {
    started = (await client.send(new ListExecutionsCommand({ stateMachineArn: machine }))).executions.find((e) => !before.has(e.executionArn));
  }
  assert.ok(started, "no execution started within 500 ListExecutions calls");
  const described = await untilClosed(started.executionArn);
  assert.equal(described.status, "SUCCEEDED", JSON.stringify(described));
  const log = await (await fetch(`${endpointUrl}/_local/events/workflows?after=0`)).json();
  const announced = log.Events.filter((e) => e.Event["detail-type"] === "DSQL Cluster Pair Provisioned" && e.Event.detail.executionArn === started.executionArn);
  assert.equal(announced.length, 1, JSON.stringify(log));
});

test("TestEventPattern with the provision rule's pattern matches the provision request, not the teardown request", async () => {
  const rule = await events.send(new DescribeRuleCommand({ EventBusName: "workflows", Name: "ProvisionStateMachineProvisionRequested" }));
  const test = async (file) => (await events.send(new TestEventPatternCommand({
    EventPattern: rule.EventPattern,
    Event: readFileSync(join(repoRoot, "events", file), "utf8"),
  }))).Result;
  assert.equal(await test("provision-requested-event.json"), true);
  assert.equal(await test("teardown-requested-event.json"), false);
});

test("TestEventPattern with an invalid pattern throws the SDK's InvalidEventPatternException", async () => {
  await assert.rejects(
    events.send(new TestEventPatternCommand({ EventPattern: JSON.stringify({ source: "not-an-array" }), Event: readFileSync(join(repoRoot, "events", "provision-requested-event.json"), "utf8") })),
    (e) => e instanceof InvalidEventPatternException && e.$metadata.httpStatusCode === 400,
  );
});

// ---- The rest of the API surface of issue 11 (§2-§4), each call through the SDK. ----

const machineArn = (name) => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;
const functionArn = (logicalId) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${logicalId}`;
const passMachine = (result) => JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", Result: result, End: true } } });

async function createMachine(name, definition, type = "STANDARD") {
  return (await client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE, type }))).stateMachineArn;
}

test("the DSQL line is the embedded emulator's URL: the JS SDK lists there the clusters the provision created", async () => {
  assert.ok(dsqlUrl, "serve printed no 'DSQL: http://127.0.0.1:N' line");
  const executionArn = `arn:aws:states:us-east-1:${ACCOUNT}:execution:ProvisionStateMachine:js-sdk-provision`;
  const described = await untilClosed(executionArn);
  assert.equal(described.status, "SUCCEEDED", "the StartExecution test's provision comes first");
  const output = JSON.parse(described.output);
  const arns = JSON.stringify(output).match(/arn:aws:dsql:[a-z0-9-]+:\d{12}:cluster\/[a-z0-9]+/g) ?? [];
  assert.ok(arns.length >= 2, `the provision's output names its two clusters: ${described.output}`);
  const dsqlConfig = { endpoint: dsqlUrl, credentials: { accessKeyId: "AKIADSQLLOCALEXAMPLE", secretAccessKey: "dsql-local-secret-access-key" } };
  const listed = new Set();
  for (const region of ["us-east-1", "us-east-2"]) {
    const dsql = new DSQLClient({ ...dsqlConfig, region });
    try {
      for (const c of (await dsql.send(new ListClustersCommand({}))).clusters) {
        listed.add(c.arn);
      }
    } finally {
      dsql.destroy();
    }
  }
  for (const arn of new Set(arns)) {
    assert.ok(listed.has(arn), `${arn} (from the provision's output) is not listed at ${dsqlUrl}: ${[...listed].join(", ")}`);
  }
});

test("CreateStateMachine, UpdateStateMachine and DeleteStateMachine: the update shows in DescribeStateMachine, the deleted machine is gone", async () => {
  const arn = await createMachine("JsSdkLifecycle", passMachine({ v: 1 }));
  const updated = await client.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: passMachine({ v: 2 }) }));
  assert.ok(updated.updateDate instanceof Date);
  assert.ok(updated.revisionId, "an update answers a revisionId");
  const described = await client.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
  assert.equal(JSON.parse(described.definition).States.P.Result.v, 2);
  assert.equal(described.status, "ACTIVE");
  await client.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
  await assert.rejects(
    client.send(new DescribeStateMachineCommand({ stateMachineArn: arn })),
    (e) => e instanceof StateMachineDoesNotExist && e.$metadata.httpStatusCode === 400,
  );
});

test("ValidateStateMachineDefinition answers OK with no diagnostics for a valid definition", async () => {
  const result = await client.send(new ValidateStateMachineDefinitionCommand({ definition: passMachine({ ok: true }) }));
  assert.equal(result.result, "OK");
  assert.deepEqual(result.diagnostics, []);
});

test("TagResource, ListTagsForResource and UntagResource on a state machine", async () => {
  const arn = await createMachine("JsSdkTagged", passMachine({}));
  await client.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: "team", value: "payments" }, { key: "env", value: "staging" }] }));
  const tags = (await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;
  assert.deepEqual(tags.map((t) => `${t.key}=${t.value}`).sort(), ["env=staging", "team=payments"]);
  await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["env"] }));
  assert.deepEqual((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags, [{ key: "team", value: "payments" }]);
});

test("StartSyncExecution runs an EXPRESS machine to its output and refuses a STANDARD one with StateMachineTypeNotSupported", async () => {
  const arn = await createMachine("JsSdkExpress", passMachine({ answer: 42 }), "EXPRESS");
  const run = await client.send(new StartSyncExecutionCommand({ stateMachineArn: arn, input: "{}" }));
  assert.equal(run.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(run.output), { answer: 42 });
  assert.ok(run.stopDate instanceof Date);
  await assert.rejects(
    client.send(new StartSyncExecutionCommand({ stateMachineArn: machineArn("ProvisionStateMachine"), input: "{}" })),
    (e) => e instanceof StateMachineTypeNotSupported,
  );
});

test("DescribeStateMachineForExecution gives the definition the provision execution ran", async () => {
  const executionArn = `arn:aws:states:us-east-1:${ACCOUNT}:execution:ProvisionStateMachine:js-sdk-provision`;
  const machine = await client.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
  assert.equal(machine.name, "ProvisionStateMachine");
  assert.equal(machine.stateMachineArn, machineArn("ProvisionStateMachine"));
  assert.ok(JSON.parse(machine.definition).States["Validate the request"], "the provision definition");
});

test("ListExecutions pages with maxResults/nextToken and filters by status; GetExecutionHistory pages, reverses and drops execution data", async () => {
  const arn = await createMachine("JsSdkPaging", passMachine({ done: true }));
  for (const name of ["one", "two", "three"]) {
    await untilClosed((await client.send(new StartExecutionCommand({ stateMachineArn: arn, name, input: JSON.stringify({ name }) }))).executionArn);
  }
  const first = await client.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2 }));
  assert.equal(first.executions.length, 2);
  assert.ok(first.nextToken);
  const second = await client.send(new ListExecutionsCommand({ stateMachineArn: arn, maxResults: 2, nextToken: first.nextToken }));
  assert.equal(second.executions.length, 1);
  assert.equal(second.nextToken, undefined);
  assert.deepEqual([...first.executions, ...second.executions].map((e) => e.name).sort(), ["one", "three", "two"]);
  assert.equal((await client.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: "SUCCEEDED" }))).executions.length, 3);
  assert.equal((await client.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: "FAILED" }))).executions.length, 0);

  const executionArn = first.executions[0].executionArn;
  const all = (await client.send(new GetExecutionHistoryCommand({ executionArn }))).events;
  const paged = [];
  let nextToken;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 2, nextToken }));
    assert.ok(page.events.length <= 2);
    paged.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken);
  assert.deepEqual(paged.map((e) => e.id), all.map((e) => e.id));
  const reversed = (await client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }))).events;
  assert.deepEqual(reversed.map((e) => e.id), all.map((e) => e.id).reverse());
  assert.ok(all[0].executionStartedEventDetails.input, "with execution data the start event has the input");
  const bare = (await client.send(new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false }))).events;
  assert.equal(bare[0].type, "ExecutionStarted");
  assert.equal(bare[0].executionStartedEventDetails.input, undefined);
  assert.equal(bare.at(-1).executionSucceededEventDetails.output, undefined);
});

async function putFaults(body) {
  const response = await fetch(`${dsqlUrl}/_dsql-local/faults`, body === null ? { method: "DELETE" } : { method: "PUT", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  assert.ok(response.ok, `faults ${response.status}: ${await response.text()}`);
}

test("RedriveExecution: an execution FAILED by a DSQL AccessDenied fault is redriven to SUCCEEDED once the fault is cleared", async () => {
  // One uncaught task on a template function: FindExecutionClusters lists the clusters, which the fault denies.
  const input = readFileSync(join(repoRoot, "events", "FindExecutionClusters.json"), "utf8");
  const arn = await createMachine("JsSdkRedrive", JSON.stringify({
    StartAt: "Find", States: { Find: { Type: "Task", Resource: functionArn("FindExecutionClustersFunction"), End: true } },
  }));
  await putFaults({ rules: [{ operation: "ListClusters", region: "*", accessDeniedRate: 1 }] });
  let executionArn;
  try {
    executionArn = (await client.send(new StartExecutionCommand({ stateMachineArn: arn, name: "denied", input }))).executionArn;
    const failed = await untilClosed(executionArn);
    assert.equal(failed.status, "FAILED", JSON.stringify(failed));
    assert.equal(failed.error, "AccessDeniedException");
    assert.equal(failed.redriveStatus, "REDRIVABLE");
  } finally {
    await putFaults(null);
  }

  const redriven = await client.send(new RedriveExecutionCommand({ executionArn }));
  assert.ok(redriven.redriveDate instanceof Date);
  const done = await untilClosed(executionArn);
  assert.equal(done.status, "SUCCEEDED", JSON.stringify(done));
  assert.equal(done.redriveCount, 1);
  const history = (await client.send(new GetExecutionHistoryCommand({ executionArn }))).events.map((e) => e.type);
  assert.ok(history.includes("ExecutionFailed") && history.includes("ExecutionRedriven"), history.join(", "));
  assert.equal(history.at(-1), "ExecutionSucceeded");
});

test("StopExecution of an execution waiting its turn ABORTS it; RedriveExecution then runs it to SUCCEEDED", async () => {
  // On the virtual clock executions run one at a time: the second waits (RUNNING) while the long first one runs.
  const long = await createMachine("JsSdkLong", JSON.stringify({
    StartAt: "Each", States: { Each: { Type: "Map", ItemsPath: "$.items", MaxConcurrency: 1, ItemProcessor: { StartAt: "P", States: { P: { Type: "Pass", End: true } } }, End: true } },
  }));
  const short = await createMachine("JsSdkStopped", passMachine({ resumed: true }));
  // 3000 iterations take about a second here; should a faster machine finish them before the stop arrives (the
  // second then SUCCEEDS and the stop is refused), try again with four times as many, at most three times.
  let first;
  let second;
  let stopped;
  for (let attempt = 0, items = 3000; attempt < 3 && !stopped; attempt++, items *= 4) {
    first = (await client.send(new StartExecutionCommand({ stateMachineArn: long, input: JSON.stringify({ items: Array.from({ length: items }, (_, i) => i) }) }))).executionArn;
    second = (await client.send(new StartExecutionCommand({ stateMachineArn: short, name: `to-stop-${attempt}` }))).executionArn;
    try {
      stopped = await client.send(new StopExecutionCommand({ executionArn: second, error: "Operator", cause: "stopped by the JS suite" }));
    } catch (e) {
      if (!(e instanceof ValidationException)) {
        throw e;
      }
      await untilClosed(first);
    }
  }
  assert.ok(stopped?.stopDate instanceof Date, "the second execution was stopped while waiting its turn");
  const aborted = await client.send(new DescribeExecutionCommand({ executionArn: second }));
  assert.equal(aborted.status, "ABORTED");
  assert.equal(aborted.error, "Operator");
  await client.send(new RedriveExecutionCommand({ executionArn: second }));
  const done = await untilClosed(second);
  assert.equal(done.status, "SUCCEEDED", JSON.stringify(done));
  assert.equal(done.redriveCount, 1);
  assert.equal((await untilClosed(first)).status, "SUCCEEDED");
});

test("TestState: INFO answers status and output only, DEBUG and TRACE add the data flow, a mock stands in for a task or a Map", async () => {
  const definition = JSON.stringify({ Type: "Pass", InputPath: "$.in", Parameters: { "v.$": "$.x" }, ResultPath: "$.out", End: true });
  const info = await client.send(new TestStateCommand({ definition, input: JSON.stringify({ in: { x: 7 } }), roleArn: ROLE }));
  assert.equal(info.status, "SUCCEEDED");
  // ResultPath merges into the state's raw input, not the InputPath's selection.
  assert.deepEqual(JSON.parse(info.output), { in: { x: 7 }, out: { v: 7 } });
  assert.equal(info.inspectionData, undefined);
  for (const inspectionLevel of ["DEBUG", "TRACE"]) {
    const debug = await client.send(new TestStateCommand({ definition, input: JSON.stringify({ in: { x: 7 } }), inspectionLevel }));
    assert.deepEqual(JSON.parse(debug.inspectionData.input), { in: { x: 7 } }, inspectionLevel);
    assert.deepEqual(JSON.parse(debug.inspectionData.afterInputPath), { x: 7 }, inspectionLevel);
    assert.deepEqual(JSON.parse(debug.inspectionData.afterParameters), { v: 7 }, inspectionLevel);
    assert.deepEqual(JSON.parse(debug.inspectionData.afterResultPath), { in: { x: 7 }, out: { v: 7 } }, inspectionLevel);
  }

  const task = JSON.stringify({ Type: "Task", Resource: functionArn("CreatePrimaryClusterFunction"), ResultSelector: { "id.$": "$.identifier" }, Next: "After" });
  const mocked = await client.send(new TestStateCommand({ definition: task, input: "{}", mock: { result: JSON.stringify({ identifier: "abc" }) }, inspectionLevel: "DEBUG" }));
  assert.equal(mocked.status, "SUCCEEDED");
  assert.equal(mocked.nextState, "After");
  assert.deepEqual(JSON.parse(mocked.output), { id: "abc" });
  assert.deepEqual(JSON.parse(mocked.inspectionData.result), { identifier: "abc" });
  const caught = await client.send(new TestStateCommand({
    definition: JSON.stringify({ Type: "Task", Resource: functionArn("CreatePrimaryClusterFunction"), Catch: [{ ErrorEquals: ["States.ALL"], Next: "Handle" }], End: true }),
    mock: { errorOutput: { error: "AccessDeniedException", cause: "mocked" } },
  }));
  assert.equal(caught.status, "CAUGHT_ERROR");
  assert.equal(caught.error, "AccessDeniedException");
  assert.equal(caught.nextState, "Handle");
  const map = JSON.stringify({ Type: "Map", ItemsPath: "$.items", MaxConcurrency: 2, ResultPath: "$.results", ItemProcessor: { StartAt: "Each", States: { Each: { Type: "Pass", End: true } } }, End: true });
  const mockedMap = await client.send(new TestStateCommand({ definition: map, input: JSON.stringify({ items: [1, 2] }), mock: { result: "[10,20]" }, inspectionLevel: "DEBUG" }));
  assert.equal(mockedMap.status, "SUCCEEDED");
  assert.deepEqual(JSON.parse(mockedMap.output), { items: [1, 2], results: [10, 20] });
  assert.deepEqual(JSON.parse(mockedMap.inspectionData.afterItemsPath), [1, 2]);
  assert.equal(mockedMap.inspectionData.maxConcurrency, 2);
  const retriable = await client.send(new TestStateCommand({
    definition: JSON.stringify({ Type: "Task", Resource: functionArn("CreatePrimaryClusterFunction"), Retry: [{ ErrorEquals: ["ThrottlingException"], IntervalSeconds: 2, BackoffRate: 3 }], End: true }),
    mock: { errorOutput: { error: "ThrottlingException", cause: "mocked" } },
    stateConfiguration: { retrierRetryCount: 1 },
    inspectionLevel: "TRACE",
  }));
  assert.equal(retriable.status, "RETRIABLE");
  assert.deepEqual(retriable.inspectionData.errorDetails, { retryIndex: 0, retryBackoffIntervalSeconds: 6 });
  await assert.rejects(
    client.send(new TestStateCommand({ definition: map, mock: { result: "{}" } })),
    (e) => e instanceof ValidationException && /mock\.result/.test(e.message),
  );
  await assert.rejects(
    client.send(new TestStateCommand({ definition, inspectionLevel: "LOUD" })),
    (e) => e instanceof ValidationException && e.$metadata.httpStatusCode === 400,
  );
});

test("ListRules and DescribeRule show the template's rules on the workflows bus", async () => {
  const rules = (await events.send(new ListRulesCommand({ EventBusName: "workflows" }))).Rules;
  const names = rules.map((r) => r.Name);
  assert.ok(names.includes("ProvisionStateMachineProvisionRequested"), names.join(", "));
  assert.ok(rules.every((r) => r.State === "ENABLED" && r.EventBusName === "workflows"));
  const rule = await events.send(new DescribeRuleCommand({ EventBusName: "workflows", Name: "ProvisionStateMachineProvisionRequested" }));
  assert.equal(rule.State, "ENABLED");
  assert.deepEqual(JSON.parse(rule.EventPattern)["detail-type"], ["DSQL Cluster Pair Provision Requested"]);
});

test("PutEvents answers per-entry errors beside accepted entries, counted in FailedEntryCount", async () => {
  const put = await events.send(new PutEventsCommand({ Entries: [
    { EventBusName: "workflows", Source: "js.sdk.test", DetailType: "Nothing Matches", Detail: "{}" },
    { EventBusName: "workflows", Source: "js.sdk.test", DetailType: "Bad", Detail: "not json" },
    { EventBusName: "workflows", DetailType: "No Source", Detail: "{}" },
  ] }));
  assert.equal(put.FailedEntryCount, 2);
  assert.match(put.Entries[0].EventId, /^[0-9a-f-]{36}$/);
  assert.equal(put.Entries[1].ErrorCode, "MalformedDetail");
  assert.equal(put.Entries[2].ErrorCode, "InvalidArgument");
  assert.match(put.Entries[2].ErrorMessage, /Source/);
});

test("Lambda Invoke: RequestResponse answers the function's payload, Event answers 202, an unknown function is ResourceNotFoundException", async () => {
  const payload = readFileSync(join(repoRoot, "events", "ValidateProvisionRequest.json"));
  const sync = await lambda.send(new InvokeCommand({ FunctionName: "ValidateProvisionRequestFunction", Payload: payload }));
  assert.equal(sync.StatusCode, 200);
  assert.equal(sync.FunctionError, undefined);
  assert.equal(sync.ExecutedVersion, "$LATEST");
  const answer = JSON.parse(Buffer.from(sync.Payload).toString("utf8"));
  assert.equal(answer.request.primaryRegion, "us-east-1", JSON.stringify(answer));
  assert.equal(answer.poll.nextWaitSeconds, 180, "the request's polling.initialDelaySeconds");
  const queued = await lambda.send(new InvokeCommand({ FunctionName: functionArn("ValidateProvisionRequestFunction"), InvocationType: "Event", Payload: payload }));
  assert.equal(queued.StatusCode, 202);
  await assert.rejects(
    lambda.send(new InvokeCommand({ FunctionName: "NoSuchFunction", Payload: payload })),
    (e) => e instanceof ResourceNotFoundException && e.$metadata.httpStatusCode === 404,
  );
});
