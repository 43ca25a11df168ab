// Starts `workflows serve` the way CI runs it (the built workflows.dll, a free port, a scratch state directory) and
// Debian's chromium through playwright-core. Shared by the test files; holds no assertions of its own.
//
//   WORKFLOWS_DLL        a built workflows.dll (default: local/Workflows.Cli/bin/Release/net10.0/workflows.dll)
//   CONSOLE_TIME_SCALE   serve's --time-scale (default 60: a provision's 3-minute first wait and 10-minute cluster creation really pass, in ~12 s)
//   CHROMIUM             the browser binary (default /usr/bin/chromium)
//   CONSOLE_SCREENSHOTS  where screenshots go (default tests/console-browser/screenshots)

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "..", "..");

const READY = /^Ready: /;
const LINES = {
  stepFunctions: /^Step Functions: (http:\/\/127\.0\.0\.1:\d+)\s*$/,
  console: /^Console: (http:\/\/127\.0\.0\.1:\d+\/console\/)\s*$/,
  dsql: /^DSQL: (http:\/\/127\.0\.0\.1:\d+)\s*$/,
};

/**
 * Starts serve and resolves once it printed its ready line; the endpoint lines printed before it are returned by
 * name. Rejects (with everything serve printed) when it exits first or is not ready within the time limit.
 */
export async function startServe({ timeScale = Number(process.env.CONSOLE_TIME_SCALE ?? 60), extraArgs = [] } = {}) {
  const dll = resolve(process.env.WORKFLOWS_DLL ?? join(repoRoot, "local", "Workflows.Cli", "bin", "Release", "net10.0", "workflows.dll"));
  if (!existsSync(dll)) {
    throw new Error(`${dll} does not exist: build it with dotnet build local/Workflows.Cli -c Release (or set WORKFLOWS_DLL)`);
  }

  const stateDir = mkdtempSync(join(tmpdir(), "console-browser-"));
  const args = [dll, "serve", "--port", "0", "--seed", "13", "--time-scale", String(timeScale), "--state-dir", stateDir,
    "--template", join(repoRoot, "template.yaml"), ...extraArgs];
  const child = spawn("dotnet", args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const endpoints = await new Promise((resolveEndpoints, reject) => {
    const found = {};
    const timer = setTimeout(() => reject(new Error(`serve printed no ready line within 120 s:\n${output}`)), 120_000);
    const onExit = (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code} before its ready line:\n${output}`)); };
    child.stdout.on("data", (chunk) => {
      output += chunk;
      for (const line of output.split("\n")) {
        for (const [name, pattern] of Object.entries(LINES)) {
          found[name] ??= pattern.exec(line)?.[1];
        }
        if (READY.test(line)) {
          clearTimeout(timer);
          child.off("exit", onExit);
          resolveEndpoints(found);
          return;
        }
      }
    });
    child.stderr.on("data", (chunk) => { output += chunk; });
    child.on("exit", onExit);
  });

  return {
    endpoints,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's chromium, headless, on a fresh profile. The background-networking flags keep chromium from reaching
 * for Google's services, which this closed network refuses (and which would be requests off 127.0.0.1).
 */
export async function startBrowser() {
  const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    throw new Error(`${executablePath} does not exist: install Debian's chromium (tests/console-browser/setup-chromium.sh) or set CHROMIUM`);
  }

  const profile = mkdtempSync(join(tmpdir(), "console-browser-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The screenshot folder ("next to the test output"), created on first use. */
export function screenshotPath(name) {
  const dir = resolve(process.env.CONSOLE_SCREENSHOTS ?? join(here, "screenshots"));
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
