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
  ListExecutionsCommand,
} from "@aws-sdk/client-sfn";
import {
  EventBridgeClient, PutEventsCommand, TestEventPatternCommand, DescribeRuleCommand, InvalidEventPatternException,
} from "@aws-sdk/client-eventbridge";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "..", "..");
const READY = /^Ready: /;
const ENDPOINT = /^Step Functions: (http:\/\/127\.0\.0\.1:\d+)\s*$/;

let serve;
let client;
let events;
let endpointUrl;

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
  client = new SFNClient(config);
  events = new EventBridgeClient(config);
});

after(async () => {
  client?.destroy();
  events?.destroy();
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
