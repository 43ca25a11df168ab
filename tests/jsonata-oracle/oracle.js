// Reads one JSON object per line ({"expr": "...", "data": ...}) and writes one line per case:
// {"result": ...} or {"undefined": true} or {"code": "T2001"}. Used only by the differential test.
const jsonata = require('jsonata');
const readline = require('readline');
const rl = readline.createInterface({ input: process.stdin });
const lines = [];
rl.on('line', (line) => lines.push(line));
rl.on('close', async () => {
  for (const line of lines) {
    const c = JSON.parse(line);
    let out;
    try {
      const r = await jsonata(c.expr).evaluate(c.data);
      out = r === undefined ? { undefined: true } : { result: JSON.parse(JSON.stringify(r, (k, v) => (typeof v === 'function' ? '' : v))) };
    } catch (e) {
      out = { code: e.code || 'ERR' };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
  }
});
