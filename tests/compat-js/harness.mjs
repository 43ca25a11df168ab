// Starts (or attaches to) DSQL Local for the compatibility suite. It builds nothing itself.
//
//   DSQL_LOCAL_URL  use an emulator that is already running at this base URL (nothing is started or stopped)
//   DSQL_LOCAL_DLL  path to a built DsqlLocal.dll, started with `dotnet <dll> ...`
//   otherwise       `dotnet run --project <repo>/local/DsqlLocal -- ...` (slow: builds first)
//
// The emulator is started with --port 0 and short provisioning/deletion times, in a fresh temporary
// working directory, in its own process group so that it and its children (dotnet run forks the app)
// are killed together when the suite ends, also when it fails or is interrupted.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const ACCESS_KEY_ID = "AKIADSQLLOCALEXAMPLE";
export const SECRET_ACCESS_KEY = "dsql-local-secret-access-key";
/** A fresh credentials object each time: the SDK annotates the object it is given (so it must not be frozen or shared). */
export const credentials = () => ({ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY });

export const PROVISIONING_SECONDS = 2;
export const DELETION_SECONDS = 1;
export const START_TIMEOUT_MS = 120_000;

const LISTENING = /^DSQL Local listening on (http:\/\/127\.0\.0\.1:(\d+))\s*$/;
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "..", "..");

/**
 * Starts DSQL Local (or attaches to DSQL_LOCAL_URL).
 * @returns {Promise<{ url: string, started: boolean, output: () => string, stop: () => Promise<void> }>}
 */
export async function startEmulator({ timeoutMs = START_TIMEOUT_MS, args, cwd } = {}) {
  const external = process.env.DSQL_LOCAL_URL;
  if (external && !args) {
    const url = external.replace(/\/+$/, "");
    return { url, started: false, output: () => "", stop: async () => {} };
  }

  // `args` (without --port) replaces the suite's short lifecycle, e.g. to run a README command as written.
  const emulatorArgs = ["--port", "0", ...(args ?? [
    "--provisioning-seconds", String(PROVISIONING_SECONDS),
    "--deletion-seconds", String(DELETION_SECONDS),
  ])];
  let command;
  const dll = process.env.DSQL_LOCAL_DLL;
  if (dll) {
    const dllPath = resolve(dll);
    if (!existsSync(dllPath)) {
      throw new Error(`DSQL_LOCAL_DLL=${dll} does not exist (build it with: dotnet build local/DsqlLocal -c Release)`);
    }
    command = ["dotnet", [dllPath, ...emulatorArgs]];
  } else {
    const project = join(repoRoot, "local", "DsqlLocal");
    command = ["dotnet", ["run", "--project", project, "--", ...emulatorArgs]];
  }

  const ownDir = cwd === undefined;
  const workDir = cwd ?? mkdtempSync(join(tmpdir(), "dsql-local-compat-"));
  const child = spawn(command[0], command[1], {
    cwd: workDir,
    detached: true, // own process group: kill(-pid) reaches dotnet run's child too
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1", DOTNET_NOLOGO: "1" },
  });

  let log = "";
  const keep = (chunk) => {
    log += chunk;
    if (log.length > 64_000) log = log.slice(-64_000);
  };
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", keep);

  let exited = false;
  const exitPromise = new Promise((res) => child.once("exit", (code, signal) => { exited = true; res({ code, signal }); }));

  const killGroup = (signal) => {
    if (exited || child.pid === undefined) return;
    try { process.kill(-child.pid, signal); } catch { /* already gone */ }
  };
  // Last-resort cleanup if the runner exits without calling stop() (crash, Ctrl-C).
  const onExit = () => killGroup("SIGKILL");
  const onSignal = (sig) => { killGroup("SIGKILL"); process.exit(sig === "SIGINT" ? 130 : 143); };
  process.once("exit", onExit);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    killGroup("SIGTERM");
    const timer = setTimeout(() => killGroup("SIGKILL"), 5_000);
    await exitPromise;
    clearTimeout(timer);
    killGroup("SIGKILL"); // any straggler left in the group
    process.removeListener("exit", onExit);
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    if (ownDir) {
      try { rmSync(workDir, { recursive: true, force: true }); } catch { /* best effort */ }
    }
  };

  try {
    const url = await new Promise((res, rej) => {
      let buffer = "";
      let firstLine = true;
      const timer = setTimeout(() => {
        rej(new Error(
          `DSQL Local did not print "DSQL Local listening on http://127.0.0.1:<port>" within ${timeoutMs / 1000} s ` +
          `(command: ${command[0]} ${command[1].join(" ")}).\nOutput so far:\n${log}`));
      }, timeoutMs);
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk) => {
        keep(chunk);
        if (!firstLine) return;
        buffer += chunk;
        let nl;
        // `dotnet run` may print build chatter first only when it builds; the app's own first line is the contract.
        while (firstLine && (nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, "");
          buffer = buffer.slice(nl + 1);
          const m = LISTENING.exec(line);
          if (m) {
            firstLine = false;
            clearTimeout(timer);
            res(m[1]);
          } else if (dll) {
            firstLine = false;
            clearTimeout(timer);
            rej(new Error(`DSQL Local's first stdout line was not the listening line: ${JSON.stringify(line)}\nOutput:\n${log}`));
          }
        }
      });
      child.once("error", (e) => { clearTimeout(timer); rej(new Error(`could not start ${command[0]}: ${e.message}`)); });
      exitPromise.then(({ code, signal }) => {
        clearTimeout(timer);
        rej(new Error(`DSQL Local exited (code ${code}, signal ${signal}) before it listened.\nOutput:\n${log}`));
      });
    });
    // Keep draining stdout so the child never blocks on a full pipe.
    child.stdout.on("data", () => {});
    return { url, started: true, output: () => log, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
