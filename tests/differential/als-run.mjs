// Usage: node als-run.mjs <case.json | corpus directory>...
// Prints one JSON object per case and line: {"name", "status", "output"} or {"name", "status", "error", "cause"}.
// Cases run one after another so that scripted task attempts are consumed in a reproducible order.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runInAls } from './als.mjs';

function caseFiles(paths) {
  return paths.flatMap((p) =>
    statSync(p).isDirectory()
      ? readdirSync(p).filter((f) => f.endsWith('.json')).sort().map((f) => join(p, f))
      : [p]);
}

const files = caseFiles(process.argv.slice(2));
if (files.length === 0) {
  console.error('usage: node als-run.mjs <case.json | corpus directory>...');
  process.exit(2);
}
for (const file of files) {
  const testCase = JSON.parse(readFileSync(file, 'utf8'));
  const result = await runInAls(testCase.definition, testCase.input ?? {}, testCase.tasks);
  process.stdout.write(JSON.stringify({ name: testCase.name, ...result }) + '\n');
}
