// Runs the DSQL Local commands the top-level README shows, as written (only --port 0 instead of 8787, so
// nothing clashes), and checks that each does what the README says, through the official JS SDK.

import { describe, it, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DSQLClient,
  CreateClusterCommand,
  GetClusterCommand,
  ListClustersCommand,
  waitUntilClusterActive,
} from "@aws-sdk/client-dsql";
import { startEmulator, credentials } from "./harness.mjs";

const client = (url, region) => new DSQLClient({ region, endpoint: url, credentials: credentials(), maxAttempts: 1 });

async function withEmulator(options, body) {
  const emulator = await startEmulator(options);
  try {
    await body(emulator.url);
  } finally {
    await emulator.stop();
  }
}

describe("README: DSQL Local commands", () => {
  it("the README's exports alone (AWS_ENDPOINT_URL_DSQL, key pair, AWS_REGION) point the SDK at DSQL Local", async () => {
    await withEmulator({ args: [] }, async (url) => {
      const names = ["AWS_ENDPOINT_URL_DSQL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"];
      const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
      Object.assign(process.env, {
        AWS_ENDPOINT_URL_DSQL: url,
        AWS_ACCESS_KEY_ID: "AKIADSQLLOCALEXAMPLE",
        AWS_SECRET_ACCESS_KEY: "dsql-local-secret-access-key",
        AWS_REGION: "us-east-1",
      });
      try {
        const dsql = new DSQLClient({}); // endpoint, credentials and Region all from the environment
        const created = await dsql.send(new CreateClusterCommand({}));
        assert.match(created.arn, /^arn:aws:dsql:us-east-1:123456789012:cluster\/[a-z0-9]{26}$/);
        const got = await dsql.send(new GetClusterCommand({ identifier: created.identifier }));
        assert.equal(got.identifier, created.identifier);
        dsql.destroy();
      } finally {
        for (const n of names) {
          if (saved[n] === undefined) delete process.env[n];
          else process.env[n] = saved[n];
        }
      }
    });
  });

  it("--provisioning-seconds 120 --time-scale 60 goes CREATING -> ACTIVE while an unscaled emulator is still CREATING", async () => {
    // Two emulators with the same provisioning time, one scaled: the scaled cluster must reach ACTIVE while the
    // unscaled one, created first, is still CREATING. The order of statuses is the claim, not a stopwatch.
    await withEmulator({ args: ["--provisioning-seconds", "120"] }, async (unscaledUrl) => {
      await withEmulator({ args: ["--provisioning-seconds", "120", "--time-scale", "60"] }, async (scaledUrl) => {
        const unscaled = client(unscaledUrl, "us-east-1");
        const scaled = client(scaledUrl, "us-east-1");
        const control = await unscaled.send(new CreateClusterCommand({ deletionProtectionEnabled: false }));
        const created = await scaled.send(new CreateClusterCommand({ deletionProtectionEnabled: false }));

        // The README's way of waiting; maxWaitTime only keeps a broken build from hanging the suite.
        await waitUntilClusterActive({ client: scaled, maxWaitTime: 60, minDelay: 1, maxDelay: 1 }, { identifier: created.identifier });
        const scaledSeen = (await scaled.send(new GetClusterCommand({ identifier: created.identifier }))).status;
        const controlSeen = (await unscaled.send(new GetClusterCommand({ identifier: control.identifier }))).status;

        assert.deepEqual(
          { scaled: [created.status, scaledSeen], unscaled: [control.status, controlSeen] },
          { scaled: ["CREATING", "ACTIVE"], unscaled: ["CREATING", "CREATING"] });
        scaled.destroy();
        unscaled.destroy();
      });
    });
  });

  it("--seed 7 --fault ... --outage ... throttles some CreateCluster calls and takes us-east-2 down", async () => {
    const args = ["--seed", "7",
      "--fault", "op=CreateCluster,region=us-east-1,throttle=0.5,retry-after=1",
      "--outage", "region=us-east-2,start=0,end=60"];
    await withEmulator({ args }, async (url) => {
      const east1 = client(url, "us-east-1");
      const outcomes = [];
      for (let i = 0; i < 12; i++) {
        try {
          await east1.send(new CreateClusterCommand({}));
          outcomes.push("ok");
        } catch (e) {
          assert.equal(e.name, "ThrottlingException");
          assert.equal(e.$metadata.httpStatusCode, 429);
          outcomes.push("throttled");
        }
      }
      assert.ok(outcomes.includes("ok") && outcomes.includes("throttled"), outcomes.join(","));
      // Other operations are not named by the rule.
      await east1.send(new ListClustersCommand({}));

      const east2 = client(url, "us-east-2");
      await assert.rejects(east2.send(new ListClustersCommand({})), (e) => {
        assert.equal(e.name, "InternalServerException");
        assert.match(e.message, /us-east-2 is unavailable/);
        return true;
      });
      east1.destroy();
      east2.destroy();
    });
  });

  it("PUT /_dsql-local/faults (the README's curl) replaces the faults of a running emulator", async () => {
    await withEmulator({ args: [] }, async (url) => {
      const body = '{"rules":[{"operation":"*","region":"*","internalErrorRate":0.1}]}';
      const put = await fetch(`${url}/_dsql-local/faults`, { method: "PUT", headers: { "Content-Type": "application/json" }, body });
      assert.equal(put.status, 200, await put.text());
      const now = await (await fetch(`${url}/_dsql-local/faults`)).json();
      assert.equal(now.rules.length, 1);
      assert.equal(now.rules[0].internalErrorRate, 0.1);
    });
  });

  it("--data-file keeps clusters across a restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "dsql-local-readme-"));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const args = ["--data-file", "dsql-state.dsql-local.json"];
    let identifier;
    await withEmulator({ args, cwd: dir }, async (url) => {
      const dsql = client(url, "eu-west-1");
      identifier = (await dsql.send(new CreateClusterCommand({ tags: { kept: "yes" } }))).identifier;
      dsql.destroy();
    });
    assert.ok(existsSync(join(dir, "dsql-state.dsql-local.json")));
    await withEmulator({ args, cwd: dir }, async (url) => {
      const dsql = client(url, "eu-west-1");
      const cluster = await dsql.send(new GetClusterCommand({ identifier }));
      assert.equal(cluster.identifier, identifier);
      assert.deepEqual(cluster.tags, { kept: "yes" });
      dsql.destroy();
    });
  });
});
