// The local console (served by `workflows serve` under /console/) in a real browser: Debian's chromium driven by
// playwright-core (pinned in package.json / package-lock.json). The page contract it checks is the console's:
// element ids, classes and data attributes (local/Workflows.Console/README.md, "Page structure").
// What the pages should show is read from the repository (template.yaml, statemachines/*.asl.json, events/) and
// from the Step Functions API of the same serve, never copied from the pages themselves.
//
// Screenshots go to tests/console-browser/screenshots/ (or $CONSOLE_SCREENSHOTS); each path is printed as a TAP
// diagnostic. The tests run in order and share one serve and one browser.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { startServe, startBrowser, screenshotPath, repoRoot } from "./launch.mjs";
import { sfn } from "./sfn.mjs";
import { stateMachines, provisionInput } from "./repo.mjs";

// A provision at the default time scale takes ~12 s on the wall (measured); the bound leaves room for a loaded CI machine.
const TERMINAL_TIMEOUT = 150_000;
const TERMINAL = ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

let serve;
let browser;
let consoleUrl;
let apiUrl;
const requests = []; // every request any page made: { url, page }
const pageErrors = []; // uncaught exceptions and console.error messages, with the page they came from
const failedResponses = []; // answers of 400 and above; expected only while the input test submits bad input
let expectingRefusals = false;

before(async () => {
  serve = await startServe();
  consoleUrl = serve.endpoints.console;
  apiUrl = serve.endpoints.stepFunctions;
  assert.ok(apiUrl, `serve printed no "Step Functions:" line:\n${serve.output()}`);
  assert.ok(consoleUrl, `serve printed no "Console: http://127.0.0.1:N/console/" line before its ready line:\n${serve.output()}`);
  browser = await startBrowser();
  browser.context.on("request", (r) => requests.push({ url: r.url(), page: r.frame()?.url?.() ?? "" }));
  browser.context.on("response", (r) => {
    if (r.status() >= 400) failedResponses.push({ method: r.request().method(), url: r.url(), status: r.status(), expected: expectingRefusals });
  });
  browser.context.on("page", (page) => {
    page.on("pageerror", (e) => pageErrors.push({ page: page.url(), text: `uncaught ${e.message}`, url: "" }));
    page.on("console", (m) => { if (m.type() === "error") pageErrors.push({ page: page.url(), text: m.text(), url: m.location()?.url ?? "" }); });
  });
});

after(async () => {
  await browser?.close();
  await serve?.stop();
});

const machine = (name) => stateMachines().find((m) => m.name === name) ?? assert.fail(`template.yaml has no state machine ${name}`);
const provision = () => machine("ProvisionStateMachine");
const machineUrl = (name) => new URL(`state-machines/${encodeURIComponent(name)}`, consoleUrl).href;

async function newPage() {
  return browser.context.newPage();
}

async function shoot(page, name, t, { fullPage = true } = {}) {
  const path = screenshotPath(name);
  await page.screenshot({ path, fullPage });
  t.diagnostic(`screenshot: ${path}`);
}

/** The graph alone (the part its scrolling box shows), readable where the full page is tall. */
async function shootGraph(page, name, t) {
  const path = screenshotPath(name);
  await page.locator("svg#graph").locator("..").screenshot({ path }); // the box around it: what the page shows of it
  t.diagnostic(`screenshot: ${path}`);
}

/** The executions of a machine as the Step Functions API lists them. */
async function executionArns(machineArn) {
  return (await sfn(apiUrl, "ListExecutions", { stateMachineArn: machineArn, maxResults: 1000 })).executions.map((e) => e.executionArn);
}

/**
 * events/provision-input.json with a first wait of 30 minutes (30 s on the wall at x60): an execution the test stops
 * is sure to be still running when it does, however slow the machine.
 */
const slowProvision = () => JSON.stringify({ ...provisionInput(), polling: { ...provisionInput().polling, initialDelaySeconds: 1800 } }, null, 2);

/** Fills the state machine page's form (the prefilled input unless one is given), submits it, waits for the execution page. */
async function startFromForm(page, name, input) {
  await page.goto(machineUrl(provision().name));
  await page.fill("#execution-name", name);
  if (input !== undefined) await page.fill("#execution-input", input);
  await Promise.all([page.waitForURL(/\/console\/executions\//, { timeout: 30_000 }), page.click("#start-execution")]);
}

/** Waits (bounded) until #execution-status shows a terminal status and returns it. */
async function terminalStatus(page) {
  await page.waitForFunction((terminal) => terminal.includes(document.querySelector("#execution-status")?.getAttribute("data-status")),
    TERMINAL, { timeout: TERMINAL_TIMEOUT, polling: 200 });
  return page.getAttribute("#execution-status", "data-status");
}

/** Each g.state of svg#graph: name, type, outcome, the colours of its shape and its <title> text. */
function graphStates(page) {
  return page.$$eval("svg#graph g.state", (gs) => gs.map((g) => {
    const shape = g.querySelector(":scope > rect, :scope > polygon, :scope > ellipse, :scope > circle, :scope > path");
    const style = shape ? getComputedStyle(shape) : null;
    return {
      name: g.getAttribute("data-state"),
      type: g.getAttribute("data-type"),
      outcome: g.getAttribute("data-outcome"),
      // The group a state sits in; a Map's or Parallel's own frame sits in its own group, so look past that.
      group: (() => {
        let group = g.parentElement?.closest("g.group");
        if (group?.getAttribute("data-state") === g.getAttribute("data-state")) group = group.parentElement?.closest("g.group");
        return group?.getAttribute("data-state") ?? null;
      })(),
      fill: style?.fill ?? null,
      stroke: style?.stroke ?? null,
      strokeWidth: style?.strokeWidth ?? null,
      strokeDasharray: style?.strokeDasharray ?? null,
      title: g.querySelector(":scope > title")?.textContent ?? "",
      // What shows besides colour: the drawn text other than the state's name (an icon or word for the outcome).
      marks: [...g.querySelectorAll("text")].map((x) => x.textContent).join(" ").replace(g.getAttribute("data-state"), "").trim(),
    };
  }));
}

test("start page lists every state machine of template.yaml with a link to its page", async () => {
  const page = await newPage();
  const response = await page.goto(consoleUrl);
  assert.equal(response.status(), 200);
  const rows = await page.$$eval("table#state-machines tr[data-state-machine]", (trs) => trs.map((tr) => ({
    name: tr.getAttribute("data-state-machine"),
    href: tr.querySelector("a.state-machine-link")?.getAttribute("href") ?? null,
  })));
  const expected = stateMachines().map((m) => m.name).sort();
  assert.ok(expected.length >= 2, `template.yaml has ${expected.length} state machines`);
  assert.deepEqual(rows.map((r) => r.name).sort(), expected);
  for (const row of rows) {
    assert.ok(row.href, `${row.name}: no a.state-machine-link`);
    assert.equal(new URL(row.href, consoleUrl).href, machineUrl(row.name), `${row.name}: the link goes elsewhere`);
  }
  await page.click(`tr[data-state-machine="${provision().name}"] a.state-machine-link`);
  await page.waitForURL(machineUrl(provision().name));
  await page.close();
});

test("state machine page: one g.state per ASL state (nested included), every Catch edge, a text list, the form prefilled from events/", async (t) => {
  const page = await newPage();
  for (const m of stateMachines()) {
    const response = await page.goto(machineUrl(m.name));
    assert.equal(response.status(), 200, m.name);
    const drawn = await graphStates(page);
    const names = drawn.map((s) => s.name);
    assert.equal(new Set(names).size, names.length, `${m.name}: a state is drawn twice: ${names}`);
    assert.deepEqual([...names].sort(), m.states.map((s) => s.name).sort(), `${m.name}: the drawn states differ from the ASL's`);
    for (const s of m.states) {
      const d = drawn.find((x) => x.name === s.name);
      assert.equal(d.type, s.type, `${m.name}/${s.name}: data-type`);
      assert.equal(d.group, s.parent, `${m.name}/${s.name}: drawn inside the group of ${d.group}, the ASL nests it in ${s.parent}`);
      assert.ok(d.title.includes(s.name) && d.title.includes(s.type), `${m.name}/${s.name}: its <title> "${d.title}" names neither the state nor its type`);
    }

    const edges = await page.$$eval("svg#graph path.edge", (ps) => ps.map((p) => `${p.getAttribute("data-kind")}:${p.getAttribute("data-from")}->${p.getAttribute("data-to")}`));
    const catches = m.edges.filter((e) => e.kind === "catch");
    assert.ok(catches.length > 0, `${m.name}: the ASL has no Catch (the check would be empty)`);
    for (const e of m.edges) {
      assert.ok(edges.includes(`${e.kind}:${e.from}->${e.to}`), `${m.name}: no path.edge[data-kind=${e.kind}] from "${e.from}" to "${e.to}"`);
    }

    // The text alternative names every state (with its own list item) for readers who cannot see the drawing.
    const items = await page.$$eval("#graph-text li", (lis) => lis.map((li) => li.textContent));
    for (const s of m.states) {
      assert.ok(items.some((text) => text.includes(s.name)), `${m.name}: #graph-text does not list "${s.name}"`);
    }
    for (const e of catches) {
      const item = items.find((text) => text.trimStart().startsWith(e.from));
      assert.ok(item?.includes(e.to), `${m.name}: #graph-text's item for "${e.from}" does not say it goes to "${e.to}" (its Catch)`);
    }
  }

  // The forms: each option is a file of events/, the first selected and in the textarea; choosing another puts it there.
  const events = readdirSync(join(repoRoot, "events")).filter((f) => f.endsWith(".json"));
  const eventFile = (f) => JSON.parse(readFileSync(join(repoRoot, "events", f), "utf8"));
  for (const m of stateMachines()) {
    await page.goto(machineUrl(m.name));
    const preset = await page.$eval("#input-preset", (s) => ({ value: s.value, options: [...s.options].map((o) => o.value) }));
    assert.ok(preset.options.length > 0, `${m.name}: #input-preset offers no file`);
    assert.deepEqual(preset.options.filter((f) => !events.includes(f)), [], `${m.name}: options that are not files of events/`);
    assert.equal(preset.value, preset.options[0], `${m.name}: the first option is not the one selected`);
    for (const f of preset.options) {
      if (f !== preset.value) await page.selectOption("#input-preset", f);
      assert.deepEqual(JSON.parse(await page.inputValue("#execution-input")), eventFile(f), `${m.name}: choosing ${f} does not put events/${f} in the textarea`);
    }
  }
  await page.goto(machineUrl(provision().name));
  const offered = await page.$$eval("#input-preset option", (os) => os.map((o) => o.value));
  assert.ok(offered.includes("provision-input.json"), `the provision machine offers ${offered}, not events/provision-input.json`);
  // A provision request needs a primaryRegion: a file without one does not fit the provision machine.
  assert.deepEqual(offered.filter((f) => !("primaryRegion" in eventFile(f))), [], "the provision machine offers files that are no provision request");
  await shoot(page, "state-machine.png", t);
  await page.close();
});

test("start form: invalid JSON and an invalid request show #input-error naming the field, and start nothing", async (t) => {
  const page = await newPage();
  await page.goto(machineUrl(provision().name));
  const before = await executionArns(provision().arn);
  assert.equal(await page.isVisible("#input-error"), false, "#input-error shows before anything was submitted");

  expectingRefusals = true; // the console API answers the two submissions below with 400
  await page.fill("#execution-input", '{ "primaryRegion": "us-east-1", ');
  await page.click("#start-execution");
  await page.waitForSelector("#input-error[role=alert]", { state: "visible", timeout: 10_000 });
  const syntax = await page.textContent("#input-error");
  assert.match(syntax, /\binput\b/i, `the error "${syntax}" does not name the field`);
  assert.match(syntax, /JSON/, `the error "${syntax}" does not say the rule (JSON)`);
  await shoot(page, "input-error-json.png", t);

  const request = { ...provisionInput(), primaryRegion: "not a region" };
  await page.fill("#execution-input", JSON.stringify(request, null, 2));
  await page.click("#start-execution");
  await page.waitForFunction((old) => { const e = document.querySelector("#input-error"); return !e.hidden && e.textContent !== old; }, syntax, { timeout: 10_000 });
  const rule = await page.textContent("#input-error");
  assert.match(rule, /primaryRegion/, `the error "${rule}" does not name primaryRegion`);
  assert.ok(page.url().startsWith(machineUrl(provision().name)), `the page left for ${page.url()}`);
  await shoot(page, "input-error-request.png", t);
  expectingRefusals = false;

  assert.deepEqual(await executionArns(provision().arn), before, "ListExecutions shows an execution the invalid form started");
  await page.close();
});

test("provision from the form runs live to SUCCEEDED: in-progress state, colours, history, two ACTIVE clusters", async (t) => {
  const page = await newPage();
  const name = `browser-provision-${Date.now()}`;
  await startFromForm(page, name);
  assert.match(decodeURIComponent(page.url()), new RegExp(`:execution:${provision().name}:${name}$`));
  await page.evaluate(() => { window.__sameDocument = true; }); // gone if the page reloads instead of updating

  // While it runs: RUNNING and a state in progress, seen together.
  await page.waitForSelector('svg#graph g.state[data-outcome="in-progress"]', { timeout: 30_000 });
  const mid = await page.evaluate(() => ({
    status: document.querySelector("#execution-status").getAttribute("data-status"),
    text: document.querySelector("#execution-status").textContent.trim(),
    inProgress: [...document.querySelectorAll('svg#graph g.state[data-outcome="in-progress"]')].map((g) => g.getAttribute("data-state")),
    historyRows: document.querySelectorAll("table#history tr[data-event-id]").length,
  }));
  assert.equal(mid.status, "RUNNING", `a state is in progress while #execution-status says ${mid.status}`);
  assert.equal(mid.text, "RUNNING");
  t.diagnostic(`in progress mid-run: ${mid.inProgress.join(", ")}`);
  await shoot(page, "provision-running.png", t);
  await shootGraph(page, "provision-running-graph.png", t);

  assert.equal(await terminalStatus(page), "SUCCEEDED", `the provision ended ${await page.getAttribute("#execution-status", "data-status")}`);
  assert.equal((await page.textContent("#execution-status")).trim(), "SUCCEEDED");
  assert.equal(await page.evaluate(() => window.__sameDocument === true), true, "the page reloaded instead of updating live");

  // The executed path, from the Step Functions API's history: every state entered succeeded; none other ran.
  const arn = decodeURIComponent(page.url().split("/console/executions/")[1]);
  const history = await sfn(apiUrl, "GetExecutionHistory", { executionArn: arn, maxResults: 1000 });
  const entered = new Set(history.events.filter((e) => e.type.endsWith("StateEntered")).map((e) => e.stateEnteredEventDetails.name));
  await page.waitForFunction(() => !document.querySelector('svg#graph g.state[data-outcome="in-progress"]'), null, { timeout: 10_000 });
  const states = await graphStates(page);
  for (const s of states) {
    if (entered.has(s.name)) {
      assert.equal(s.outcome, "succeeded", `"${s.name}" ran and succeeded, the graph says ${s.outcome}`);
      assert.match(s.title, /succeeded/i, `the <title> of "${s.name}" does not say it succeeded: "${s.title}"`);
    } else {
      assert.equal(s.outcome, "not-run", `"${s.name}" did not run, the graph says ${s.outcome}`);
    }
  }
  const succeeded = states.filter((s) => s.outcome === "succeeded");
  const notRun = states.filter((s) => s.outcome === "not-run");
  assert.ok(succeeded.length >= 5 && notRun.length > 0, `${succeeded.length} succeeded, ${notRun.length} not run`);
  for (const s of succeeded) {
    assert.ok(s.fill && s.stroke, `"${s.name}" has no shape with a computed fill and stroke`);
    assert.equal(s.fill, succeeded[0].fill, `succeeded states differ in fill: "${s.name}" ${s.fill}, "${succeeded[0].name}" ${succeeded[0].fill}`);
    assert.equal(s.stroke, succeeded[0].stroke, `succeeded states differ in stroke: "${s.name}" ${s.stroke}, "${succeeded[0].name}" ${succeeded[0].stroke}`);
  }
  for (const s of notRun) {
    assert.notEqual(s.fill, succeeded[0].fill, `not-run "${s.name}" has the succeeded fill ${s.fill}`);
    assert.notEqual(s.stroke, succeeded[0].stroke, `not-run "${s.name}" has the succeeded stroke ${s.stroke}`);
  }
  // Without colour: the outline (width or dashes) or the drawn marks of a succeeded state differ from a not-run one.
  const cue = (s) => JSON.stringify([s.strokeWidth, s.strokeDasharray, s.marks.replace(s.type, "")]);
  for (const s of notRun) {
    const same = succeeded.find((x) => x.type === s.type && cue(x) === cue(s));
    assert.equal(same, undefined, `"${s.name}" (not run) and "${same?.name}" (succeeded) differ only by colour: ${cue(s)}`);
  }
  t.diagnostic(`succeeded: fill ${succeeded[0].fill}, stroke ${succeeded[0].stroke}; not run: fill ${notRun[0].fill}, stroke ${notRun[0].stroke}`);
  assert.ok(await page.isVisible("#legend"), "no #legend on the execution page");
  const legend = (await page.textContent("#legend")).toLowerCase();
  for (const outcome of ["not-run", "in-progress", "succeeded", "failed", "caught", "retried"]) {
    assert.ok(legend.includes(outcome.replace("-", " ")), `#legend does not explain ${outcome}: "${legend}"`);
  }

  // The history table grew live, one row per event of the API's history.
  const rows = await page.$$eval("table#history tr[data-event-id]", (trs) => trs.map((tr) => Number(tr.getAttribute("data-event-id"))));
  assert.ok(rows.length > mid.historyRows, `the history had ${mid.historyRows} rows mid-run and ${rows.length} at the end`);
  assert.deepEqual(rows, history.events.map((e) => e.id), "table#history rows differ from GetExecutionHistory's events");

  // Two clusters, one per Region of the request, both ACTIVE.
  const input = provisionInput();
  const clusters = await page.$$eval("table#clusters tr[data-region]", (trs) => trs.map((tr) => ({
    region: tr.getAttribute("data-region"),
    identifier: tr.querySelector("td.cluster-identifier")?.textContent.trim(),
    status: tr.querySelector("td.cluster-status")?.textContent.trim(),
  })));
  assert.deepEqual(clusters.map((c) => c.region).sort(), [input.primaryRegion, input.peerRegion].sort(), JSON.stringify(clusters));
  for (const c of clusters) {
    assert.equal(c.status, "ACTIVE", `${c.region}: ${JSON.stringify(c)}`);
    assert.ok(c.identifier, `${c.region}: no cluster identifier`);
  }
  assert.equal(await page.isDisabled("#stop-execution"), true, "Stop is enabled on a SUCCEEDED execution");
  assert.equal(await page.isDisabled("#redrive-execution"), true, "Redrive is enabled on a SUCCEEDED execution");
  await shoot(page, "provision-succeeded.png", t);
  await shootGraph(page, "provision-succeeded-graph.png", t);

  // The start page lists it, newest first, with its status.
  await page.goto(consoleUrl);
  const first = await page.$eval("table#executions tr[data-execution-arn]", (tr) => ({ arn: tr.getAttribute("data-execution-arn"), status: tr.getAttribute("data-status") }));
  assert.deepEqual(first, { arn, status: "SUCCEEDED" });
  const count = (await executionArns(provision().arn)).length;
  const cells = await page.$$eval(`tr[data-state-machine="${provision().name}"] td`, (tds) => tds.map((td) => td.textContent.trim()));
  assert.ok(cells.includes(String(count)), `the start page's row of ${provision().name} (${cells}) does not show its ${count} executions`);
  assert.ok(cells.includes("STANDARD"), `the start page's row of ${provision().name} (${cells}) does not show its type`);
  await Promise.all([page.waitForURL(/\/console\/executions\//), page.click(`tr[data-execution-arn="${arn}"] a.execution-link`)]);
  assert.equal(decodeURIComponent(page.url().split("/console/executions/")[1]), arn, "the execution link goes to another execution");
  assert.equal(await page.getAttribute("#execution-status", "data-status"), "SUCCEEDED");
  await page.close();
});

/** Relative luminance and contrast ratio (WCAG 2.x), run in the page over computed colours. */
function contrastProblems(page, selector) {
  return page.$$eval(selector, (elements) => {
    const parse = (c) => {
      const m = /rgba?\(([^)]+)\)/.exec(c);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r, g, b, a };
    };
    const over = (top, bottom) => ({
      r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
    });
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c.a > 0) {
          layers.push(c);
          if (c.a >= 1) break;
        }
      }
      return layers.reduceRight((acc, c) => over(c, acc), { r: 255, g: 255, b: 255, a: 1 }); // the canvas is white
    };
    const luminance = ({ r, g, b }) => {
      const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const problems = [];
    let checked = 0;
    for (const el of elements) {
      const own = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
      if (!own || !el.checkVisibility() || el.disabled) continue; // WCAG exempts inactive controls
      const bg = background(el);
      const fg = over(parse(getComputedStyle(el).color), bg);
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
      const ratio = (hi + 0.05) / (lo + 0.05);
      checked++;
      if (ratio < 4.5) problems.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} "${el.textContent.trim().slice(0, 40)}": ${ratio.toFixed(2)}:1 (${getComputedStyle(el).color} on rgb(${bg.r},${bg.g},${bg.b}))`);
    }
    return { checked, problems };
  });
}

/** Form controls without an accessible name (label, aria-label, aria-labelledby, or a button's own text). */
function unlabelled(page) {
  return page.$$eval("input, select, textarea, button", (controls) => controls.filter((c) => {
    if (c.type === "hidden") return false;
    const byLabel = [...(c.labels ?? [])].some((l) => l.textContent.trim());
    const byAria = (c.getAttribute("aria-label") ?? "").trim()
      || (c.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean).some((id) => document.getElementById(id)?.textContent.trim());
    const byText = c.tagName === "BUTTON" && c.textContent.trim();
    return !(byLabel || byAria || byText);
  }).map((c) => c.outerHTML.slice(0, 80)));
}

/** The drawn text (text and tspan) of every state against its shape's fill (a pattern fill is not judged), 4.5:1. */
async function assertGraphTextContrast(page) {
  const problems = await page.$$eval("svg#graph g.state", (gs) => {
    const lum = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i], 0);
    const out = [];
    for (const g of gs) {
      const shape = g.querySelector(":scope > rect, :scope > polygon, :scope > ellipse, :scope > circle, :scope > path");
      const fill = shape && getComputedStyle(shape).fill;
      if (!fill?.startsWith("rgb")) continue;
      for (const t of g.querySelectorAll("text, tspan")) {
        const own = [...t.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        const color = getComputedStyle(t).fill;
        if (!own || !color.startsWith("rgb")) continue;
        const [hi, lo] = [lum(color), lum(fill)].sort((x, y) => y - x);
        const ratio = (hi + 0.05) / (lo + 0.05);
        if (ratio < 4.5) out.push(`"${t.textContent.trim()}" in "${g.getAttribute("data-state")}" (${g.getAttribute("data-outcome")}): ${ratio.toFixed(2)}:1 (${color} on ${fill})`);
      }
    }
    return out;
  });
  assert.deepEqual(problems, [], "graph text below 4.5:1");
}

/** Controls and links chromium's accessibility tree holds without a name (what a screen reader would announce). */
async function unnamedInAccessibilityTree(page) {
  const cdp = await browser.context.newCDPSession(page);
  try {
    const { nodes } = await cdp.send("Accessibility.getFullAXTree");
    const roles = new Set(["button", "textbox", "combobox", "listbox", "checkbox", "radio", "link", "spinbutton", "slider"]);
    const controls = nodes.filter((n) => !n.ignored && roles.has(n.role?.value));
    return { count: controls.length, unnamed: controls.filter((n) => !String(n.name?.value ?? "").trim()).map((n) => `${n.role.value} (backend node ${n.backendDOMNodeId})`) };
  } finally {
    await cdp.detach();
  }
}

const TEXT = "h1, h2, h3, p, label, th, td, a, button, li, dt, dd, summary, span, #execution-status";

test("accessibility: keyboard start and stop, labels, contrast of 4.5:1, the graph as an img with a title", async (t) => {
  const page = await newPage();
  await page.goto(machineUrl(provision().name));
  assert.deepEqual(await unlabelled(page), [], "form controls without a label on the state machine page");
  const tree = await unnamedInAccessibilityTree(page);
  assert.ok(tree.count >= 4, `chromium's accessibility tree holds ${tree.count} controls on the state machine page`);
  assert.deepEqual(tree.unnamed, [], "controls without a name in chromium's accessibility tree (state machine page)");
  const contrast = await contrastProblems(page, TEXT);
  assert.ok(contrast.checked > 10, `only ${contrast.checked} text elements checked`);
  assert.deepEqual(contrast.problems, [], "text below 4.5:1 on the state machine page");

  const graph = await page.$eval("svg#graph", (svg) => ({
    role: svg.getAttribute("role"),
    title: svg.querySelector(":scope > title")?.textContent.trim() ?? "",
    labelledBy: (svg.getAttribute("aria-labelledby") ?? "").split(/\s+/).filter(Boolean).map((id) => document.getElementById(id)?.textContent.trim() ?? null),
  }));
  assert.equal(graph.role, "img");
  assert.ok(graph.title, "svg#graph has no <title>");
  assert.ok(graph.labelledBy.length > 0 && graph.labelledBy.every((x) => x), `aria-labelledby points at missing or empty elements: ${JSON.stringify(graph.labelledBy)}`);
  assert.ok(graph.labelledBy.includes(graph.title), "aria-labelledby does not include the svg's <title>");

  // Keyboard only: Tab from the top of the page reaches the start button, with a visible focus, and Enter starts.
  const before = await executionArns(provision().arn);
  // Set without focusing, so the Tabs below start from the top of the page (the run is stopped below with Space).
  await page.$eval("#execution-input", (textarea, text) => { textarea.value = text; }, slowProvision());
  let focused = null;
  const order = [];
  for (let i = 0; i < 80 && focused?.id !== "start-execution"; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => {
      const el = document.activeElement;
      const s = getComputedStyle(el);
      return { id: el.id, visible: el.matches(":focus-visible") && ((s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none") };
    });
    order.push(focused.id);
  }
  const form = ["input-preset", "execution-name", "execution-input", "start-execution"];
  assert.deepEqual(order.filter((id) => form.includes(id)), form, `the Tab order through the form: ${order}`);
  assert.equal(focused?.id, "start-execution", "80 Tabs did not reach #start-execution");
  assert.equal(focused.visible, true, "#start-execution has no visible focus indicator (outline or box-shadow under :focus-visible)");
  await shoot(page, "keyboard-focus.png", t, { fullPage: false }); // the viewport, scrolled to the focused button
  await Promise.all([page.waitForURL(/\/console\/executions\//, { timeout: 30_000 }), page.keyboard.press("Enter")]);
  const after = await executionArns(provision().arn);
  assert.equal(after.length, before.length + 1, "Enter on the start button did not start one execution");

  // On the execution page: labels, contrast, and Space on the focused stop button stops the execution.
  assert.equal(await page.getAttribute("#execution-status", "data-status"), "RUNNING");
  assert.deepEqual(await unlabelled(page), [], "controls without a label on the execution page");
  assert.deepEqual((await unnamedInAccessibilityTree(page)).unnamed, [], "controls without a name in chromium's accessibility tree (execution page)");
  const executionContrast = await contrastProblems(page, `${TEXT}, #legend li`);
  assert.deepEqual(executionContrast.problems, [], "text below 4.5:1 on the execution page");
  await assertGraphTextContrast(page);

  let stop = null;
  for (let i = 0; i < 80 && stop !== "stop-execution"; i++) {
    await page.keyboard.press("Tab");
    stop = await page.evaluate(() => document.activeElement.id);
  }
  assert.equal(stop, "stop-execution", "80 Tabs did not reach #stop-execution");
  assert.equal(await page.getAttribute("#execution-status", "data-status"), "RUNNING");
  await page.keyboard.press("Space");
  assert.equal(await terminalStatus(page), "ABORTED", "Space on the focused stop button did not stop the execution");
  await page.close();
});

test("stop: the stop button ends a running provision ABORTED; redrive is enabled as DescribeExecution says and redrives it", async (t) => {
  const page = await newPage();
  await startFromForm(page, `browser-stop-${Date.now()}`, slowProvision());
  const arn = decodeURIComponent(page.url().split("/console/executions/")[1]);
  assert.equal(await page.getAttribute("#execution-status", "data-status"), "RUNNING");
  assert.equal(await page.isEnabled("#stop-execution"), true, "Stop is disabled while RUNNING");
  assert.equal(await page.isDisabled("#redrive-execution"), true, "Redrive is enabled while RUNNING");

  await page.click("#stop-execution");
  assert.equal(await terminalStatus(page), "ABORTED");
  const described = await sfn(apiUrl, "DescribeExecution", { executionArn: arn });
  assert.equal(described.status, "ABORTED");
  await page.waitForFunction(() => document.querySelector("#stop-execution").disabled, null, { timeout: 5_000 });
  // AWS: "Restarts unsuccessful executions ... These include failed, aborted, or timed out executions."
  assert.equal(described.redriveStatus, "REDRIVABLE", `DescribeExecution: ${JSON.stringify(described)}`);
  await page.waitForFunction(() => !document.querySelector("#redrive-execution").disabled, null, { timeout: 5_000 })
    .catch(() => assert.fail("Redrive stays disabled on an ABORTED execution DescribeExecution calls REDRIVABLE"));
  await shoot(page, "provision-aborted.png", t);

  await page.click("#redrive-execution");
  await page.waitForSelector('#execution-status[data-status="RUNNING"]', { timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector("#execution-redrives")?.textContent.trim() === "1", null, { timeout: 10_000 })
    .catch(() => assert.fail(`#execution-redrives does not show 1 after a redrive`));
  assert.equal((await sfn(apiUrl, "DescribeExecution", { executionArn: arn })).redriveCount, 1);
  await page.click("#stop-execution");
  assert.equal(await terminalStatus(page), "ABORTED");
  await page.close();
});

test("a provision that misses its deadline ends FAILED: the Fail state shows failed in a colour of its own, the Map's states their outcomes, redrive enabled", async (t) => {
  const page = await newPage();
  // The clusters take 10 simulated minutes to become ACTIVE; a 2-minute deadline sends the run to its clean-up.
  const input = { ...provisionInput(), polling: { initialDelaySeconds: 30, minDelaySeconds: 10, maxDelaySeconds: 30, deadlineSeconds: 120, maxAttempts: 60 } };
  await startFromForm(page, `browser-deadline-${Date.now()}`, JSON.stringify(input, null, 2));
  const arn = decodeURIComponent(page.url().split("/console/executions/")[1]);
  assert.equal(await terminalStatus(page), "FAILED");
  const described = await sfn(apiUrl, "DescribeExecution", { executionArn: arn });
  assert.equal(described.status, "FAILED");

  const history = await sfn(apiUrl, "GetExecutionHistory", { executionArn: arn, maxResults: 1000 });
  const entered = new Set(history.events.filter((e) => e.type.endsWith("StateEntered")).map((e) => e.stateEnteredEventDetails.name));
  const states = await graphStates(page);
  const fail = states.find((s) => s.type === "Fail" && entered.has(s.name)) ?? assert.fail(`no Fail state entered: ${[...entered]}`);
  assert.equal(fail.outcome, "failed", `"${fail.name}" ended the execution FAILED, the graph says ${fail.outcome}`);
  assert.match(fail.title, /fail/i, `the <title> of "${fail.name}" does not say it failed: "${fail.title}"`);
  const nested = states.filter((s) => s.group && entered.has(s.name));
  assert.ok(nested.length > 0, "the run entered no state inside a Map (the clean-up)");
  for (const s of nested) assert.equal(s.outcome, "succeeded", `"${s.name}" (inside ${s.group}) ran and succeeded, the graph says ${s.outcome}`);
  const succeeded = states.find((s) => s.outcome === "succeeded");
  const notRun = states.find((s) => s.outcome === "not-run");
  for (const other of [succeeded, notRun]) {
    assert.notEqual(fail.fill, other.fill, `failed "${fail.name}" has the ${other.outcome} fill ${fail.fill}`);
  }
  t.diagnostic(`failed: fill ${fail.fill}, stroke ${fail.stroke}`);

  assert.equal(await page.isDisabled("#stop-execution"), true, "Stop is enabled on a FAILED execution");
  assert.equal(described.redriveStatus, "REDRIVABLE", JSON.stringify(described));
  await page.waitForFunction(() => !document.querySelector("#redrive-execution").disabled, null, { timeout: 5_000 })
    .catch(() => assert.fail("Redrive stays disabled on a FAILED execution DescribeExecution calls REDRIVABLE"));
  const contrast = await contrastProblems(page, `${TEXT}, #legend li`);
  assert.deepEqual(contrast.problems, [], "text below 4.5:1 on the FAILED execution's page");
  await assertGraphTextContrast(page);
  await shoot(page, "provision-failed.png", t);
  await page.close();
});

/** Replaces (or with null removes) the embedded DSQL Local's fault rules through its admin route. */
async function putFaults(body) {
  assert.ok(serve.endpoints.dsql, `serve printed no "DSQL: http://127.0.0.1:N" line:\n${serve.output()}`);
  const response = await fetch(`${serve.endpoints.dsql}/_dsql-local/faults`, body === null
    ? { method: "DELETE" }
    : { method: "PUT", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  assert.ok(response.ok, `faults ${response.status}: ${await response.text()}`);
}

/** Polls GetExecutionHistory (bounded) until one of its events satisfies the predicate; returns the events. */
async function untilHistory(arn, predicate, what) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { events } = await sfn(apiUrl, "GetExecutionHistory", { executionArn: arn, maxResults: 1000 });
    if (events.some(predicate)) return events;
    if (Date.now() > deadline) assert.fail(`${what} did not happen within 60 s: ${events.map((e) => e.type).join(", ")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("DSQL faults: a throttled create shows retried (its Retry), a denied status check shows caught (its Catch)", async (t) => {
  const input = provisionInput();
  const retriedState = "Create the primary cluster"; // Retry on ThrottlingException (statemachines/provision.asl.json)
  const caughtState = "Check the clusters"; // AccessDeniedException matches no Retry; its Catch takes States.ALL
  const asl = JSON.parse(readFileSync(join(repoRoot, "statemachines", "provision.asl.json"), "utf8"));
  assert.ok(asl.States[retriedState]?.Retry?.some((r) => r.ErrorEquals.includes("ThrottlingException")), `"${retriedState}" has no Retry for ThrottlingException`);
  assert.ok(asl.States[caughtState]?.Catch?.some((c) => c.ErrorEquals.includes("States.ALL")), `"${caughtState}" has no Catch for States.ALL`);

  const page = await newPage();
  await putFaults({ rules: [{ operation: "CreateCluster", region: input.primaryRegion, throttleRate: 1, retryAfterSeconds: 0 }] });
  try {
    await startFromForm(page, `browser-faults-${Date.now()}`);
    const arn = decodeURIComponent(page.url().split("/console/executions/")[1]);
    const failure = (e) => /Failed$/.test(e.type) && !e.type.startsWith("Execution");
    // The first throttled attempt failed: lift the fault so a later attempt of the same Retry succeeds.
    await untilHistory(arn, failure, `a failed attempt of "${retriedState}"`);
    await putFaults(null);
    // Once the clusters exist, deny the status check so its Catch takes over.
    await untilHistory(arn, (e) => e.type === "WaitStateEntered", "the wait for the clusters");
    await putFaults({ rules: [{ operation: "GetCluster", region: "*", accessDeniedRate: 1 }] });
    await terminalStatus(page);

    const history = await sfn(apiUrl, "GetExecutionHistory", { executionArn: arn, maxResults: 1000 });
    const denied = history.events.filter(failure).map((e) => JSON.stringify(e));
    assert.ok(denied.some((e) => e.includes("ThrottlingException")), `the history shows no throttled attempt: ${denied}`);
    assert.ok(denied.some((e) => e.includes("AccessDeniedException")), `the history shows no denied check: ${denied}`);
    await page.waitForFunction(() => !document.querySelector('svg#graph g.state[data-outcome="in-progress"]'), null, { timeout: 10_000 });
    const states = await graphStates(page);
    const outcome = (name) => states.find((s) => s.name === name)?.outcome;
    assert.equal(outcome(retriedState), "retried", `"${retriedState}" failed once and then succeeded, the graph says ${outcome(retriedState)}`);
    assert.equal(outcome(caughtState), "caught", `"${caughtState}" failed into its Catch, the graph says ${outcome(caughtState)}`);
    const retried = states.find((s) => s.name === retriedState);
    const caught = states.find((s) => s.name === caughtState);
    assert.match(retried.title, /retried/i, `the <title> of "${retriedState}" does not say it was retried: "${retried.title}"`);
    assert.match(caught.title, /caught/i, `the <title> of "${caughtState}" does not say it was caught: "${caught.title}"`);
    const succeeded = states.find((s) => s.outcome === "succeeded");
    assert.notEqual(retried.fill, succeeded?.fill, `retried "${retriedState}" has the succeeded fill ${retried.fill}`);
    assert.notEqual(caught.fill, succeeded?.fill, `caught "${caughtState}" has the succeeded fill ${caught.fill}`);
    t.diagnostic(`retried: fill ${retried.fill}; caught: fill ${caught.fill}`);
    await shoot(page, "provision-retried-caught.png", t);
    await shootGraph(page, "provision-retried-caught-graph.png", t);
  } finally {
    await putFaults(null);
    await page.close();
  }
});

test("start page updates live: an execution started and stopped elsewhere appears and changes status without a reload", async (t) => {
  const page = await newPage();
  await page.goto(consoleUrl);
  await page.evaluate(() => { window.__sameDocument = true; }); // gone if the page reloads instead of updating
  const name = `browser-live-${Date.now()}`;
  const { executionArn } = await sfn(apiUrl, "StartExecution", { stateMachineArn: provision().arn, name, input: slowProvision() });
  const row = `table#executions tr[data-execution-arn="${executionArn}"]`;
  await page.waitForSelector(`${row}[data-status="RUNNING"]`, { timeout: 10_000 })
    .catch(() => assert.fail(`the start page did not show the new execution ${name} RUNNING within 10 s`));
  const count = String((await executionArns(provision().arn)).length);
  await page.waitForFunction(([machine, n]) => document.querySelector(`tr[data-state-machine="${machine}"] td.execution-count`)?.textContent.trim() === n,
    [provision().name, count], { timeout: 10_000 }).catch(() => assert.fail(`the start page's count of ${provision().name} did not become ${count}`));
  await shoot(page, "start-live-running.png", t);
  await sfn(apiUrl, "StopExecution", { executionArn });
  await page.waitForSelector(`${row}[data-status="ABORTED"]`, { timeout: 10_000 })
    .catch(() => assert.fail(`the start page did not show ${name} ABORTED within 10 s of StopExecution`));
  assert.equal(await page.evaluate(() => window.__sameDocument === true), true, "the start page reloaded instead of updating live");
  const polls = () => requests.filter((r) => new URL(r.url).pathname === "/console/api/start" && r.page === consoleUrl).length;
  assert.ok(polls() > 0, "the start page never polled /console/api/start");
  await shoot(page, "start-live-aborted.png", t);

  // Hidden (as a background tab is): the polling stops; visible again: it resumes.
  const setVisibility = (state) => page.evaluate((s) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => s });
    document.dispatchEvent(new Event("visibilitychange"));
  }, state);
  await setVisibility("hidden");
  await page.waitForTimeout(500); // a poll already in flight may still land
  const hidden = polls();
  await page.waitForTimeout(3_000); // three poll intervals
  assert.equal(polls(), hidden, "the start page polled while hidden");
  await setVisibility("visible");
  const deadline = Date.now() + 5_000;
  while (polls() === hidden && Date.now() < deadline) await page.waitForTimeout(100);
  assert.ok(polls() > hidden, "the start page did not poll again once visible");
  await page.close();
});

test("offline: every request of every page went to 127.0.0.1, and no page had an error", async () => {
  // One more look at each kind of page, so this test stands on its own as well.
  const page = await newPage();
  await page.goto(consoleUrl);
  const execution = await page.getAttribute("table#executions a.execution-link", "href");
  await page.goto(new URL(execution, consoleUrl).href);
  await page.goto(machineUrl(provision().name));
  await page.close();

  assert.ok(requests.length > 10, `only ${requests.length} requests recorded`);
  const elsewhere = requests.filter((r) => { const u = new URL(r.url); return !(u.protocol === "http:" && u.hostname === "127.0.0.1") && u.protocol !== "data:"; });
  assert.deepEqual(elsewhere, [], "requests off 127.0.0.1");
  assert.ok(requests.some((r) => new URL(r.url).pathname.startsWith("/console/api/")), "no page polled /console/api/");
  // Chromium logs every answer of 400 and above as a console error ("Failed to load resource"); the only ones
  // expected are the console API's refusals of the bad input the input test submitted. (Chromium's own request for
  // /favicon.ico, which playwright does not report as a request, shows up here when it fails.)
  const refusals = failedResponses.filter((r) => r.expected);
  assert.ok(refusals.length >= 2 && refusals.every((r) => r.method === "POST" && r.status === 400 && new URL(r.url).pathname.startsWith("/console/api/")),
    `the bad input's refusals: ${JSON.stringify(refusals)}`);
  assert.deepEqual(failedResponses.filter((r) => !r.expected), [], "answers of 400 and above to the pages' requests");
  const refused = new Set(refusals.map((r) => r.url));
  const errors = pageErrors.filter((e) => !(/^Failed to load resource: the server responded with a status of 400/.test(e.text) && refused.has(e.url)));
  const icon = errors.find((e) => new URL(e.url || "about:blank").pathname === "/favicon.ico");
  assert.equal(icon, undefined, `the pages name no icon, so chromium asks for /favicon.ico, gets ${icon?.text.match(/status of (\d+)/)?.[1]} and logs a console error on ${icon?.page}`);
  assert.deepEqual(errors, [], "errors in the pages' consoles");
});
