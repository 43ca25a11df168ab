// Captures the exact requests the official AWS SDK for JavaScript v3 (@aws-sdk/client-dsql) sends for each of the
// 16 DSQL operations, for DSQL Local's replay test (tests/DsqlLocal.Tests/ReplayFixtureTests.cs).
//
//   node capture-requests.mjs <output.json>     (run by tests/DsqlLocal.Tests/Fixtures/replay/capture.sh)
//
// The SDK talks to a recording server on 127.0.0.1 that answers every request 200 "{}" (only the requests matter
// here). Placeholders the replay test substitutes: cluster aaaaaaaaaaaaaaaaaaaaaaaaaa, stream bbbbbbbbbbbbbbbbbbbbbbbbbb.
import { createServer } from "node:http";
import { writeFileSync } from "node:fs";
import * as dsql from "@aws-sdk/client-dsql";
import { credentials } from "./harness.mjs";
import { scenario } from "./capture-scenario.mjs";

const output = process.argv[2];
if (!output) {
  console.error("usage: node capture-requests.mjs <output.json>");
  process.exit(2);
}

const captured = [];
let current = null;
const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const url = new URL(req.url, "http://127.0.0.1");
    const question = req.url.indexOf("?");
    captured.push({
      operation: current,
      method: req.method,
      path: question < 0 ? req.url : req.url.slice(0, question),
      query: question < 0 ? "" : req.url.slice(question + 1),
      contentType: req.headers["content-type"] ?? null,
      headerNames: Object.keys(req.headers).map((h) => h.toLowerCase()).sort(),
      body: Buffer.concat(chunks).toString("utf8"),
    });
    void url;
    res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "00000000-0000-0000-0000-000000000000" });
    res.end("{}");
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const endpoint = `http://127.0.0.1:${server.address().port}`;
const client = new dsql.DSQLClient({ region: "us-east-1", endpoint, credentials: credentials(), maxAttempts: 1 });

for (const step of scenario) {
  current = step.operation;
  try {
    await client.send(new dsql[`${step.operation}Command`](step.input));
  } catch (e) {
    // The canned "{}" answer may not satisfy every output parser; the request has been captured either way.
    if (!captured.some((c) => c.operation === step.operation)) throw e;
  }
}

server.close();
writeFileSync(output, JSON.stringify({ client: `@aws-sdk/client-dsql ${(await import("@aws-sdk/client-dsql/package.json", { with: { type: "json" } })).default.version}`, requests: captured }, null, 2) + "\n");
console.log(`captured ${captured.length} requests into ${output}`);
