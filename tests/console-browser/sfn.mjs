// A few Step Functions API calls (awsJson1_0) against serve, signed with Signature Version 4 and the key pair serve
// prints (the emulator's documented local pair). The test uses them to check the console's claims against the API
// itself, e.g. that an invalid form started nothing, or that the redrive button matches DescribeExecution.
import { createHash, createHmac } from "node:crypto";

const ACCESS_KEY = "AKIADSQLLOCALEXAMPLE";
const SECRET_KEY = "dsql-local-secret-access-key";
const REGION = "us-east-1";
const SERVICE = "states";

const sha256 = (text) => createHash("sha256").update(text, "utf8").digest("hex");
const hmac = (key, text) => createHmac("sha256", key).update(text, "utf8").digest();

/** Calls AWSStepFunctions.<operation> and returns the parsed body; throws with the error's __type otherwise. */
export async function sfn(endpoint, operation, body) {
  const url = new URL(endpoint);
  const payload = JSON.stringify(body ?? {});
  const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, ""); // 20261203T171500Z
  const day = amzDate.slice(0, 8);
  const headers = {
    "content-type": "application/x-amz-json-1.0",
    host: url.host,
    "x-amz-date": amzDate,
    "x-amz-target": `AWSStepFunctions.${operation}`,
  };
  const names = Object.keys(headers).sort();
  const canonical = ["POST", "/", "", ...names.map((n) => `${n}:${headers[n]}`), "", names.join(";"), sha256(payload)].join("\n");
  const scope = `${day}/${REGION}/${SERVICE}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonical)].join("\n");
  let key = hmac(`AWS4${SECRET_KEY}`, day);
  for (const part of [REGION, SERVICE, "aws4_request"]) key = hmac(key, part);
  const signature = createHmac("sha256", key).update(toSign, "utf8").digest("hex");
  const { host, ...sent } = headers;
  const response = await fetch(new URL("/", url), {
    method: "POST",
    headers: { ...sent, authorization: `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}` },
    body: payload,
  });
  const json = await response.json();
  if (!response.ok) {
    throw new Error(`${operation}: ${response.status} ${json.__type}: ${json.message}`);
  }
  return json;
}
