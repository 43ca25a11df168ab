// Compatibility suite: drives DSQL Local with the official AWS SDK for JavaScript v3 (@aws-sdk/client-dsql),
// a client nobody in this project wrote. Every request is signed by the SDK's own SigV4 signer and every
// response is parsed by the SDK's own rest-json protocol, so a disagreement shows up here as a failure.
//
// Each scenario uses Regions of its own (and its own clusters), so they cannot see each other's resources,
// and cleans up after itself even when it fails.

import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import {
  DSQLClient,
  DSQLServiceException,
  CreateClusterCommand,
  GetClusterCommand,
  UpdateClusterCommand,
  DeleteClusterCommand,
  ListClustersCommand,
  TagResourceCommand,
  UntagResourceCommand,
  ListTagsForResourceCommand,
  ValidationExceptionReason,
  paginateListClusters,
  waitUntilClusterActive,
  waitUntilClusterNotExists,
} from "@aws-sdk/client-dsql";
import { startEmulator, credentials as defaultCredentials, ACCESS_KEY_ID } from "./harness.mjs";

const debug = process.env.DSQL_COMPAT_DEBUG ? await import("./debug.mjs") : null;

const IDENTIFIER = /^[a-z0-9]{26}$/;
const WAITER = { maxWaitTime: 60, minDelay: 1, maxDelay: 1 };

let emulator;
/** @type {DSQLClient[]} */
const clients = [];

let startError;

before(async () => {
  try {
    emulator = await startEmulator();
  } catch (e) {
    startError = e; // reported as a failing test below instead of cancelling everything silently
  }
});

after(async () => {
  for (const c of clients) c.destroy();
  if (emulator) await emulator.stop();
});

it("DSQL Local is up and answers GET /_dsql-local/health unsigned", async () => {
  if (startError) throw startError;
  const health = await fetch(`${emulator.url}/_dsql-local/health`);
  assert.equal(health.status, 200, `GET /_dsql-local/health answered ${health.status}`);
});

function client(region, credentials = defaultCredentials()) {
  if (!emulator) throw new Error("DSQL Local did not start; see the first test");
  const c = new DSQLClient({ region, endpoint: emulator.url, credentials });
  if (debug) debug.attachSigningDebug(c);
  clients.push(c);
  return c;
}

function arnPattern(region, identifier) {
  return new RegExp(`^arn:aws:dsql:${region.replace(/-/g, "\\-")}:\\d{12}:cluster/${identifier}$`);
}

/** Asserts that `promise` rejects with an SDK service error of this name and HTTP status; returns the error. */
async function rejectsWith(promise, name, status) {
  let caught;
  await assert.rejects(promise, (err) => {
    caught = err;
    return true;
  });
  assert.equal(caught.name, name, `expected ${name}, got ${caught.name}: ${caught.message}`);
  assert.equal(caught.$metadata?.httpStatusCode, status, `HTTP status of ${name}`);
  assert.ok(caught instanceof DSQLServiceException, `${name} is a DSQLServiceException`);
  assert.equal(caught.$fault, "client");
  assert.equal(typeof caught.$metadata.requestId, "string", "x-amzn-RequestId reached $metadata.requestId");
  return caught;
}

/** Best effort: lift deletion protection and delete, ignoring every error. For after() hooks. */
async function destroy(c, identifier) {
  if (!identifier) return;
  try { await c.send(new UpdateClusterCommand({ identifier, deletionProtectionEnabled: false })); } catch { /* gone or busy */ }
  try { await c.send(new DeleteClusterCommand({ identifier })); } catch { /* gone or busy */ }
}

function assertRecentDate(value, what) {
  assert.ok(value instanceof Date, `${what} is a Date (got ${typeof value}: ${value})`);
  assert.ok(!Number.isNaN(value.getTime()), `${what} is a valid Date`);
  const skew = Math.abs(Date.now() - value.getTime());
  assert.ok(skew < 10 * 60 * 1000, `${what} ${value.toISOString()} is within 10 minutes of now`);
}

describe("a) multi-Region cluster pair, the documented way", () => {
  const R1 = "us-east-1";
  const R2 = "us-east-2";
  const WITNESS = "us-west-2";
  let c1, c2;
  let id1, arn1, id2, arn2;

  before(() => {
    c1 = client(R1);
    c2 = client(R2);
  });

  let gone = false;

  after(async () => {
    if (gone) return;
    await destroy(c2, id2);
    await destroy(c1, id1);
  });

  it("creates the primary with a witness: PENDING_SETUP", async () => {
    const out = await c1.send(new CreateClusterCommand({
      multiRegionProperties: { witnessRegion: WITNESS },
      tags: { Name: "compat-js-a-primary" },
    }));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.equal(typeof out.$metadata.requestId, "string", "x-amzn-RequestId reached $metadata.requestId");
    assert.match(out.identifier, IDENTIFIER);
    assert.match(out.arn, arnPattern(R1, out.identifier));
    assert.equal(out.status, "PENDING_SETUP");
    assertRecentDate(out.creationTime, "creationTime");
    assert.equal(out.deletionProtectionEnabled, true, "deletion protection defaults to true");
    assert.equal(out.multiRegionProperties?.witnessRegion, WITNESS);
    id1 = out.identifier;
    arn1 = out.arn;
  });

  it("creates the peer in the other Region naming the primary: PENDING_SETUP", async () => {
    assert.ok(arn1, "primary exists");
    const out = await c2.send(new CreateClusterCommand({
      multiRegionProperties: { witnessRegion: WITNESS, clusters: [arn1] },
      tags: { Name: "compat-js-a-peer" },
    }));
    assert.match(out.identifier, IDENTIFIER);
    assert.notEqual(out.identifier, id1);
    assert.match(out.arn, arnPattern(R2, out.identifier));
    assert.equal(out.status, "PENDING_SETUP");
    assert.equal(out.multiRegionProperties?.witnessRegion, WITNESS);
    id2 = out.identifier;
    arn2 = out.arn;
  });

  it("back-links the primary to the peer with UpdateCluster: both CREATING", async () => {
    assert.ok(arn2, "peer exists");
    const out = await c1.send(new UpdateClusterCommand({
      identifier: id1,
      multiRegionProperties: { witnessRegion: WITNESS, clusters: [arn2] },
    }));
    assert.equal(out.identifier, id1);
    assert.equal(out.arn, arn1);
    assert.equal(typeof out.status, "string");
    assertRecentDate(out.creationTime, "creationTime");

    const [g1, g2] = await Promise.all([
      c1.send(new GetClusterCommand({ identifier: id1 })),
      c2.send(new GetClusterCommand({ identifier: id2 })),
    ]);
    assert.equal(g1.status, "CREATING", "primary right after the back-link");
    assert.equal(g2.status, "CREATING", "peer right after the back-link");
  });

  it("both become ACTIVE (the SDK's own waitUntilClusterActive)", async () => {
    const [w1, w2] = await Promise.all([
      waitUntilClusterActive({ client: c1, ...WAITER }, { identifier: id1 }),
      waitUntilClusterActive({ client: c2, ...WAITER }, { identifier: id2 }),
    ]);
    assert.equal(w1.state, "SUCCESS");
    assert.equal(w2.state, "SUCCESS");
  });

  it("GetCluster describes both as a linked, protected, ACTIVE pair", async () => {
    const g1 = await c1.send(new GetClusterCommand({ identifier: id1 }));
    const g2 = await c2.send(new GetClusterCommand({ identifier: id2 }));
    for (const [g, id, arn, region, otherArn] of [[g1, id1, arn1, R1, arn2], [g2, id2, arn2, R2, arn1]]) {
      assert.equal(g.identifier, id);
      assert.equal(g.arn, arn);
      assert.match(g.arn, arnPattern(region, id));
      assert.equal(g.status, "ACTIVE");
      assert.equal(g.deletionProtectionEnabled, true);
      assertRecentDate(g.creationTime, `${region} creationTime`);
      assert.equal(g.multiRegionProperties?.witnessRegion, WITNESS);
      assert.ok(Array.isArray(g.multiRegionProperties?.clusters), `${region} lists its peers`);
      assert.ok(g.multiRegionProperties.clusters.includes(otherArn),
        `${region} lists ${otherArn}: ${JSON.stringify(g.multiRegionProperties.clusters)}`);
      assert.equal(typeof g.endpoint, "string");
      assert.ok(g.endpoint.includes(id), `endpoint ${g.endpoint} names the cluster`);
    }
    assert.equal(g1.tags?.Name, "compat-js-a-primary");
  });

  it("DeleteCluster while deletion protection is on is a ValidationException (400)", async () => {
    await rejectsWith(c1.send(new DeleteClusterCommand({ identifier: id1 })), "ValidationException", 400);
    const g1 = await c1.send(new GetClusterCommand({ identifier: id1 }));
    assert.equal(g1.status, "ACTIVE", "the rejected delete changed nothing");
  });

  it("UpdateCluster turns deletion protection off on both", async () => {
    await c1.send(new UpdateClusterCommand({ identifier: id1, deletionProtectionEnabled: false }));
    await c2.send(new UpdateClusterCommand({ identifier: id2, deletionProtectionEnabled: false }));
    const g1 = await c1.send(new GetClusterCommand({ identifier: id1 }));
    const g2 = await c2.send(new GetClusterCommand({ identifier: id2 }));
    assert.equal(g1.deletionProtectionEnabled, false);
    assert.equal(g2.deletionProtectionEnabled, false);
  });

  it("deleting the primary leaves it PENDING_DELETE until the peer is deleted", async () => {
    const d1 = await c1.send(new DeleteClusterCommand({ identifier: id1 }));
    assert.equal(d1.identifier, id1);
    assert.equal(d1.arn, arn1);
    assert.equal(d1.status, "PENDING_DELETE");
    assertRecentDate(d1.creationTime, "creationTime");
    const g1 = await c1.send(new GetClusterCommand({ identifier: id1 }));
    assert.equal(g1.status, "PENDING_DELETE");

    const d2 = await c2.send(new DeleteClusterCommand({ identifier: id2 }));
    assert.equal(d2.identifier, id2);
    assert.ok(["DELETING", "PENDING_DELETE"].includes(d2.status), `peer delete answered ${d2.status}`);
  });

  it("both disappear (the SDK's own waitUntilClusterNotExists) and GetCluster is ResourceNotFoundException (404)", async () => {
    const [w1, w2] = await Promise.all([
      waitUntilClusterNotExists({ client: c1, ...WAITER }, { identifier: id1 }),
      waitUntilClusterNotExists({ client: c2, ...WAITER }, { identifier: id2 }),
    ]);
    assert.equal(w1.state, "SUCCESS");
    assert.equal(w2.state, "SUCCESS");
    await rejectsWith(c1.send(new GetClusterCommand({ identifier: id1 })), "ResourceNotFoundException", 404);
    await rejectsWith(c2.send(new GetClusterCommand({ identifier: id2 })), "ResourceNotFoundException", 404);
    gone = true;
  });
});

describe("b) ListClusters pagination and tags on an ARN in the path", () => {
  const R = "eu-west-1";
  let c;
  const created = [];

  before(async () => {
    c = client(R);
  });

  const deleted = new Set();

  after(async () => {
    for (const { identifier } of created) if (!deleted.has(identifier)) await destroy(c, identifier);
  });

  it("creates three single-Region clusters", async () => {
    for (let i = 0; i < 3; i++) {
      const out = await c.send(new CreateClusterCommand({
        deletionProtectionEnabled: false,
        tags: { Name: `compat-js-b-${i}` },
      }));
      assert.match(out.identifier, IDENTIFIER);
      assert.match(out.arn, arnPattern(R, out.identifier));
      assert.equal(out.deletionProtectionEnabled, false);
      created.push(out);
    }
    assert.equal(new Set(created.map((x) => x.identifier)).size, 3);
  });

  it("paginateListClusters with maxResults 2 sees all of them, two at a time", async () => {
    const seen = new Map();
    const sizes = [];
    let pages = 0;
    for await (const page of paginateListClusters({ client: c, pageSize: 2, stopOnSameToken: true }, { maxResults: 2 })) {
      pages++;
      assert.ok(pages <= 100, "pagination terminates");
      assert.ok(Array.isArray(page.clusters), `page ${pages} has a clusters list`);
      assert.ok(page.clusters.length <= 2, `page ${pages} holds ${page.clusters.length} > maxResults 2`);
      sizes.push(page.clusters.length);
      for (const s of page.clusters) {
        assert.match(s.identifier, IDENTIFIER);
        assert.match(s.arn, arnPattern(R, s.identifier));
        assert.ok(!seen.has(s.identifier), `${s.identifier} listed twice`);
        seen.set(s.identifier, s.arn);
      }
    }
    assert.ok(pages >= 2, `three clusters at maxResults 2 take at least two pages (got ${pages}: ${sizes})`);
    for (const x of created) {
      assert.equal(seen.get(x.identifier), x.arn, `${x.identifier} was listed`);
    }
  });

  it("TagResource / ListTagsForResource / UntagResource round-trip on the ARN", async () => {
    const { arn } = created[0];
    const before = await c.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    assert.deepEqual(before.tags, { Name: "compat-js-b-0" });

    // Tag keys and values with the characters AWS allows (: / = + - @ . _ and space) exercise body,
    // path (the ARN) and query (UntagResource's tagKeys) encoding on both sides of the signature.
    await c.send(new TagResourceCommand({
      resourceArn: arn,
      tags: { team: "compat", "compat:scope/key": "a b/c:d+e=f@g.h_i-j" },
    }));
    const tagged = await c.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    assert.deepEqual(tagged.tags, {
      Name: "compat-js-b-0",
      team: "compat",
      "compat:scope/key": "a b/c:d+e=f@g.h_i-j",
    });

    await c.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["team", "compat:scope/key"] }));
    const untagged = await c.send(new ListTagsForResourceCommand({ resourceArn: arn }));
    assert.deepEqual(untagged.tags, { Name: "compat-js-b-0" });

    const g = await c.send(new GetClusterCommand({ identifier: created[0].identifier }));
    assert.deepEqual(g.tags, { Name: "compat-js-b-0" });
  });

  it("deletes the three clusters", async () => {
    for (const { identifier } of created) {
      const out = await c.send(new DeleteClusterCommand({ identifier }));
      assert.equal(out.identifier, identifier);
      assert.equal(out.status, "DELETING");
      deleted.add(identifier);
    }
  });
});

describe("c) idempotent CreateCluster with an explicit clientToken", () => {
  const R = "ap-northeast-1";
  let c;
  const ids = new Set();

  before(() => {
    c = client(R);
  });

  after(async () => {
    for (const id of ids) await destroy(c, id);
  });

  it("returns the same cluster for the same token, a new one without it", async () => {
    const clientToken = `compat-js-${randomUUID()}`;
    const first = await c.send(new CreateClusterCommand({ clientToken, deletionProtectionEnabled: false }));
    ids.add(first.identifier);
    const second = await c.send(new CreateClusterCommand({ clientToken, deletionProtectionEnabled: false }));
    ids.add(second.identifier);
    assert.equal(second.identifier, first.identifier);
    assert.equal(second.arn, first.arn);

    const other = await c.send(new CreateClusterCommand({ deletionProtectionEnabled: false }));
    ids.add(other.identifier);
    assert.notEqual(other.identifier, first.identifier, "the SDK's generated token makes a new cluster");
  });
});

describe("d) signature rejection", () => {
  const R = "eu-central-1";

  it("the right credentials are accepted (control)", async () => {
    const out = await client(R).send(new ListClustersCommand({}));
    assert.equal(out.$metadata.httpStatusCode, 200);
    assert.ok(Array.isArray(out.clusters ?? []));
  });

  it("a wrong secret is InvalidSignatureException (403)", async () => {
    const c = client(R, { accessKeyId: ACCESS_KEY_ID, secretAccessKey: "not-the-dsql-local-secret" });
    const e1 = await rejectsWith(c.send(new ListClustersCommand({})), "InvalidSignatureException", 403);
    const e2 = await rejectsWith(c.send(new CreateClusterCommand({ deletionProtectionEnabled: false })), "InvalidSignatureException", 403);
    // Not a clock-skew message ("Signature expired"), so the SDK's retry strategy does not retry it.
    assert.equal(e1.$metadata.attempts, 1);
    assert.equal(e2.$metadata.attempts, 1);
  });

  it("an unknown access key id is UnrecognizedClientException (403)", async () => {
    const c = client(R, { accessKeyId: "AKIAUNKNOWNEXAMPLE00", secretAccessKey: "whatever-secret" });
    const e = await rejectsWith(c.send(new ListClustersCommand({})), "UnrecognizedClientException", 403);
    assert.equal(e.$metadata.attempts, 1);
  });
});

describe("e) ValidationException details", () => {
  const R = "ca-central-1";
  let c;
  let accidental;

  before(() => {
    c = client(R);
  });

  after(async () => {
    await destroy(c, accidental);
  });

  it("a witnessRegion equal to the cluster's own Region is rejected with reason and fieldList", async () => {
    const promise = c.send(new CreateClusterCommand({
      deletionProtectionEnabled: false,
      multiRegionProperties: { witnessRegion: R },
    }));
    promise.then((out) => { accidental = out.identifier; }, () => {});
    const err = await rejectsWith(promise, "ValidationException", 400);
    assert.equal(typeof err.message, "string");
    assert.ok(err.message.length > 0, "message is set");
    assert.ok(Object.values(ValidationExceptionReason).includes(err.reason),
      `reason ${JSON.stringify(err.reason)} is one of ${Object.values(ValidationExceptionReason)}`);
    assert.ok(Array.isArray(err.fieldList), `fieldList parsed onto the error: ${JSON.stringify(err.fieldList)}`);
    assert.ok(err.fieldList.length >= 1, "fieldList names the field at fault");
    for (const f of err.fieldList) {
      assert.equal(typeof f.name, "string");
      assert.equal(typeof f.message, "string");
    }
    assert.ok(err.fieldList.some((f) => /witnessRegion/i.test(f.name)),
      `a field names witnessRegion: ${JSON.stringify(err.fieldList)}`);
  });
});
