// Usage: node als-bench.mjs <asl.json> <runs> [input JSON] [warmup: runs, or "<n>ms" to warm up for n ms]
// Times whole executions of one definition in aws-local-stepfunctions and prints one JSON object:
// {"engine","runs","warmup","warmupRuns","timingsMs":[...],"medianMs","minMs","maxMs","transitions","output"}.
// The machine is constructed (and schema-validated) once, outside the timings, as our engine loads its
// definition once; transitions are counted from the library's own StateEntered events of one extra run.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { overridesFor } from './als.mjs';

const [aslPath, runsArg, inputArg = '{}', warmupArg = '2'] = process.argv.slice(2);
if (!aslPath || !runsArg) {
  console.error('usage: node als-bench.mjs <asl.json> <runs> [input JSON] [warmup runs | <n>ms]');
  process.exit(2);
}
const { StateMachine } = await import('aws-local-stepfunctions');
const definition = JSON.parse(readFileSync(aslPath, 'utf8'));
const input = JSON.parse(inputArg);
const runs = Number(runsArg);
const warmupMs = warmupArg.endsWith('ms') ? Number(warmupArg.slice(0, -2)) : null;
const warmup = warmupMs === null ? Number(warmupArg) : warmupArg;
const machine = new StateMachine(definition);
const run = () => machine.run(input, { overrides: overridesFor(definition) });

async function countTransitions() {
  const execution = run();
  let entered = 0;
  for await (const event of execution.eventLogs) {
    if (event.type === 'StateEntered') entered++;
  }
  await execution.result;
  return entered;
}

// A time budget warms up as long as the other engine does: at least 2 runs, then until the budget is spent.
let warmupRuns = 0;
const warmupStart = performance.now();
while (warmupMs === null ? warmupRuns < warmup : warmupRuns < 2 || performance.now() - warmupStart < warmupMs) {
  await run().result;
  warmupRuns++;
}
const timingsMs = [];
let output;
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  output = await run().result;
  timingsMs.push(performance.now() - start);
}
const sorted = [...timingsMs].sort((a, b) => a - b);
const mid = sorted.length >> 1;
const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
const transitions = await countTransitions();
process.stdout.write(JSON.stringify({
  engine: `aws-local-stepfunctions ${JSON.parse(readFileSync(new URL('./node_modules/aws-local-stepfunctions/package.json', import.meta.url))).version}`,
  runs, warmup, warmupRuns, timingsMs, medianMs, minMs: sorted[0], maxMs: sorted[sorted.length - 1], transitions, output,
}) + '\n');
