// What the console should show, read from the repository: the template's state machines (logical id = the name serve
// gives them), every state of their ASL definitions (Map and Parallel contents included) and every transition.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./launch.mjs";

const ACCOUNT = "123456789012"; // serve's account (the ARNs it prints)
const REGION = "us-east-1";

/**
 * The AWS::Serverless::StateMachine resources of template.yaml with their DefinitionUri. A line reader, not a YAML
 * parser: the template keeps resources at two spaces and their properties below (checked: none found = an error).
 */
function templateMachines() {
  const lines = readFileSync(join(repoRoot, "template.yaml"), "utf8").split("\n");
  const found = [];
  let current = null;
  for (const line of lines) {
    const resource = /^  ([A-Za-z0-9]+):\s*$/.exec(line);
    if (resource) {
      current = { name: resource[1], type: null, uri: null };
      found.push(current);
      continue;
    }
    if (!current || /^\S/.test(line)) { if (/^\S/.test(line)) current = null; continue; }
    current.type ??= /^    Type: (\S+)/.exec(line)?.[1] ?? null;
    current.uri ??= /^      DefinitionUri: (\S+)/.exec(line)?.[1] ?? null;
  }
  const machines = found.filter((r) => r.type === "AWS::Serverless::StateMachine");
  if (machines.length === 0 || machines.some((m) => !m.uri)) {
    throw new Error(`template.yaml: state machines not read (${JSON.stringify(machines)})`);
  }
  return machines;
}

/** Every state (with the Map/Parallel it sits in) and every edge, kinds as the console's contract names them. */
function walk(states, parent, out) {
  for (const [name, s] of Object.entries(states)) {
    out.states.push({ name, type: s.Type, parent });
    if (s.Next) out.edges.push({ from: name, to: s.Next, kind: "next" });
    for (const c of s.Choices ?? []) out.edges.push({ from: name, to: c.Next, kind: "choice" });
    if (s.Default) out.edges.push({ from: name, to: s.Default, kind: "default" });
    for (const c of s.Catch ?? []) out.edges.push({ from: name, to: c.Next, kind: "catch" });
    if (s.Type === "Map") walk((s.ItemProcessor ?? s.Iterator).States, name, out);
    for (const b of s.Type === "Parallel" ? s.Branches : []) walk(b.States, name, out);
  }
  return out;
}

let cache;
export function stateMachines() {
  cache ??= templateMachines().map((m) => {
    const definition = JSON.parse(readFileSync(join(repoRoot, m.uri), "utf8"));
    const { states, edges } = walk(definition.States, null, { states: [], edges: [] });
    const unique = [...new Map(edges.map((e) => [`${e.kind}:${e.from}->${e.to}`, e])).values()];
    return { name: m.name, arn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${m.name}`, states, edges: unique };
  });
  return cache;
}

export function provisionInput() {
  return JSON.parse(readFileSync(join(repoRoot, "events", "provision-input.json"), "utf8"));
}
