// DSQL_COMPAT_DEBUG=1: print, for every request a client sends, the SigV4 canonical request and string to
// sign exactly as the SDK's signer builds them (it recomputes them with the SDK's own SignatureV4 class from
// the request as signed), plus the response status and error type. Compare with what the emulator rebuilt.

import { createHash } from "node:crypto";

class NodeSha256 {
  constructor(secret) {
    if (secret) throw new Error("debug hash does not do HMAC");
    this.h = createHash("sha256");
  }
  update(data) { this.h.update(typeof data === "string" ? Buffer.from(data, "utf8") : data); }
  async digest() { return new Uint8Array(this.h.digest()); }
}

let SignatureV4;
try {
  // The SDK's own signer (a dependency of @aws-sdk/client-dsql; only loaded in debug mode).
  ({ SignatureV4 } = await import("@smithy/signature-v4"));
} catch (e) {
  console.error(`[compat-debug] @smithy/signature-v4 not resolvable (${e.message}); printing raw requests only`);
}

export function attachSigningDebug(client) {
  const middleware = (next, context) => async (args) => {
    const req = args.request;
    const auth = req.headers?.authorization ?? req.headers?.Authorization ?? "";
    const m = /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=(\w+)/.exec(auth);
    const lines = [`[compat-debug] ${context.commandName} ${req.method} ${req.path}${formatQuery(req.query)}`];
    if (m && SignatureV4) {
      const [, , , region, service, signedHeaders] = m;
      const names = signedHeaders.split(";");
      const canonicalHeaders = {};
      for (const name of names) {
        const key = Object.keys(req.headers).find((k) => k.toLowerCase() === name);
        canonicalHeaders[name] = String(req.headers[key] ?? "").trim().replace(/\s+/g, " ");
      }
      const payloadHash = req.headers["x-amz-content-sha256"]
        ?? createHash("sha256").update(req.body ?? "").digest("hex");
      const signer = new SignatureV4({ service, region, credentials: { accessKeyId: "x", secretAccessKey: "x" }, sha256: NodeSha256 });
      const canonical = signer.createCanonicalRequest(req, canonicalHeaders, payloadHash);
      const scope = `${m[2]}/${region}/${service}/aws4_request`;
      const sts = await signer.createStringToSign(req.headers["x-amz-date"], scope, canonical, "AWS4-HMAC-SHA256");
      lines.push("--- canonical request (SDK) ---", canonical, "--- string to sign (SDK) ---", sts, "---");
    } else {
      lines.push(`authorization: ${auth}`);
    }
    if (req.body) {
      const text = typeof req.body === "string" ? req.body
        : req.body instanceof Uint8Array ? Buffer.from(req.body).toString("utf8") : "<stream body>";
      lines.push(`body: ${text}`);
    }
    try {
      const out = await next(args);
      const { $metadata, ...parsed } = out.output ?? {};
      lines.push(`=> ${out.response?.statusCode} ${JSON.stringify(parsed)}`);
      return out;
    } catch (e) {
      const { $metadata, $response, ...fields } = e;
      lines.push(`=> ${$metadata?.httpStatusCode} ${e.name}: ${e.message} ${JSON.stringify(fields)}`);
      throw e;
    } finally {
      console.error(lines.join("\n"));
    }
  };
  client.middlewareStack.addRelativeTo(middleware, {
    name: "compatSigningDebug",
    relation: "after",
    toMiddleware: "httpSigningMiddleware",
  });
}

function formatQuery(query) {
  const entries = Object.entries(query ?? {});
  if (entries.length === 0) return "";
  return "?" + entries.flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}=${x}`)).join("&");
}
