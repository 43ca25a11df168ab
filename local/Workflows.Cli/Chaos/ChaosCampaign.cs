using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DsqlLocal;

namespace Workflows.Cli.Chaos;

/// <summary>Settings of a campaign.</summary>
internal sealed record ChaosSettings
{
    public required int Seed { get; init; }

    public int Runs { get; init; } = 100;

    /// <summary>Run only this run (a reproduction), else runs 0..Runs-1.</summary>
    public int? Only { get; init; }

    /// <summary>Share of runs whose kill is a real SIGKILL of a tool process (each costs a process start).</summary>
    public double CrashRate { get; init; } = 0.05;

    /// <summary>Kinds left out of every scenario (<see cref="ChaosScenario.Excludable"/>).</summary>
    public IReadOnlySet<string> Without { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    public int Parallel { get; init; } = 2;

    /// <summary>Where each run's scratch state directory goes (deleted afterwards unless it failed).</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>A command still running after this much wall time is stuck.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The tool for process kills: workflows.dll beside this assembly.</summary>
    public string ToolPath { get; init; } = typeof(ChaosCampaign).Assembly.Location;

    /// <summary>Every command of every run with <c>--iam enforce</c>: each function signs with its own template role.</summary>
    public bool IamEnforce { get; init; }

    /// <summary>With <see cref="IamEnforce"/>: <c>--iam-revoke</c> specs (<c>Function=service:Action</c>) given to every command.</summary>
    public IReadOnlyList<string> IamRevocations { get; init; } = [];

    /// <summary>Told of every IAM evaluation of the in-process commands (a killed tool process reports to no one).</summary>
    public Action<DsqlLocal.Iam.IamAuditEntry>? IamAudit { get; init; }

    /// <summary>The IAM options every command is typed with: explicit, so the tool's own WORKFLOWS_IAM default cannot differ between in-process and process runs.</summary>
    public IReadOnlyList<string> IamArguments => IamEnforce
        ? ["--iam", "enforce", .. IamRevocations.SelectMany(r => new[] { "--iam-revoke", r })]
        : ["--iam", "off"];
}

/// <summary>
/// Runs chaos scenarios through the tool itself: each command is what a user would type, on a fresh state
/// directory, and the next command is what the CLI's own output says to do.
/// </summary>
internal static class ChaosCampaign
{
    // Enough for: provision, its duplicate, two reruns, a teardown, two reruns, and an advised provision in between.
    private const int CommandBudget = 10;

    public static async Task<ChaosReport> RunAsync(ChaosSettings settings, IProgress<ChaosRunResult>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var wall = Stopwatch.StartNew();
        var runs = settings.Only is { } only ? [only] : Enumerable.Range(0, settings.Runs).ToArray();
        var results = new ChaosRunResult[runs.Length];
        var scenarios = runs.Select(r => ChaosScenario.Draw(settings.Seed, r, settings.CrashRate, settings.Without)).ToArray();
        var commands = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, runs.Length),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, settings.Parallel), CancellationToken = cancellationToken },
            async (i, token) =>
            {
                results[i] = await RunOneAsync(settings, scenarios[i], token);
                Interlocked.Add(ref commands, results[i].Commands);
                progress?.Report(results[i]);
            });

        var kinds = ChaosScenario.AllKinds.ToDictionary(k => k, k => scenarios.Count(s => s.Kinds.Contains(k)), StringComparer.Ordinal);
        return new ChaosReport(settings.Seed, results, kinds, commands, wall.Elapsed)
        {
            Without = [.. settings.Without.Order(StringComparer.Ordinal)],
            IamEnforce = settings.IamEnforce,
            IamRevocations = settings.IamRevocations,
        };
    }

    public static async Task<ChaosRunResult> RunOneAsync(ChaosSettings settings, ChaosScenario scenario, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(settings.WorkDirectory, string.Create(CultureInfo.InvariantCulture, $"run-{scenario.Run}"));
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        Directory.CreateDirectory(directory);
        var state = Path.Combine(directory, "state");
        string[] place = ["--state-dir", state, "--provisioning-seconds", Text(scenario.ProvisioningSeconds), "--deletion-seconds", Text(scenario.DeletionSeconds), .. settings.IamArguments];
        string[] identity = scenario.Identity switch
        {
            ChaosIdentity.Name => ["--name", string.Create(CultureInfo.InvariantCulture, $"chaos-{scenario.CommandSeed}")],
            ChaosIdentity.Seed => ["--seed", Text(scenario.CommandSeed)],
            _ => [],
        };
        string[] provision = ["provision", "--deletion-protection", scenario.DeletionProtection ? "true" : "false", .. identity, .. place];
        var commands = new List<ChaosCommand>();
        var snapshots = new List<IReadOnlyList<ClusterSnapshot>>();
        var finished = false;
        var next = provision;
        var attempts = new Dictionary<string, int>(StringComparer.Ordinal);
        var killPending = scenario.Kill != ChaosKill.None;
        var duplicatePending = scenario.Duplicate;
        while (commands.Count < CommandBudget && !cancellationToken.IsCancellationRequested)
        {
            var key = string.Join(' ', next);
            var attempt = attempts.GetValueOrDefault(key);
            attempts[key] = attempt + 1;
            // Throttling and latency stay all run; an incident (5xx, create failures, an outage) only hits the first attempt.
            var faults = scenario.Persistent.Concat(attempt == 0 ? scenario.Transient : []).SelectMany(f => new[] { "--fault", f }).ToArray();
            string[] args = [.. next, .. faults];
            var isProvision = next[0] == "provision";
            var kill = killPending && isProvision == scenario.KillProvision ? scenario.Kill : ChaosKill.None;
            if (kill != ChaosKill.None)
            {
                killPending = false;
            }

            ChaosCommand result;
            if (isProvision && duplicatePending == ChaosDuplicate.Concurrent && kill != ChaosKill.Crash)
            {
                duplicatePending = ChaosDuplicate.None;
                (result, var second) = await RunConcurrentAsync(settings, state, args, kill, scenario.KillAtLine, cancellationToken);
                commands.Add(second);
            }
            else
            {
                result = await RunCommandAsync(settings, state, args, kill, scenario.KillAtLine, cancellationToken);
            }

            commands.Add(result);
            snapshots.Add(await ClustersAsync(state));
            if (isProvision && duplicatePending == ChaosDuplicate.Sequential && !result.Killed)
            {
                duplicatePending = ChaosDuplicate.None;
                var again = await RunCommandAsync(settings, state, args, ChaosKill.None, 0, cancellationToken);
                commands.Add(again);
                snapshots.Add(await ClustersAsync(state));
                result = again;
            }

            if (result.TimedOut)
            {
                break;
            }

            var advice = NextCommand(result, provision, place);
            if (advice is null)
            {
                finished = true;
                break;
            }

            if (attempts.GetValueOrDefault(string.Join(' ', advice)) >= 4)
            {
                break;
            }

            next = advice;
        }

        // An hour later: a deletion that was accepted has finished by then, a cluster nobody is deleting has not.
        var final = await ClustersAsync(state, TimeSpan.FromHours(1));
        var outcome = ChaosClassifier.Classify(scenario.Run, scenario.Describe(), commands, snapshots, final, finished);
        if (outcome.Passed)
        {
            TryDelete(directory);
        }
        else
        {
            // Kept for inspection, with the commands the run typed and what they printed.
            var log = new JsonArray([.. commands.Select(c => (JsonNode)new JsonObject { ["command"] = c.Line, ["exit"] = c.ExitCode, ["status"] = c.Status, ["killed"] = c.Killed, ["stdout"] = c.Out, ["stderr"] = c.Error })]);
            await File.WriteAllTextAsync(Path.Combine(directory, "chaos-commands.json"), log.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), CancellationToken.None);
        }

        return outcome;
    }

    /// <summary>
    /// What a user does next, from what the command printed: the command it names, the same command again when
    /// it says so (or when it died without a word), else nothing: the run is over. Null ends the run.
    /// </summary>
    private static string[]? NextCommand(ChaosCommand result, string[] provision, string[] place)
    {
        string[] defaultTeardown = ["teardown", "--from-last-run", "--force", .. place];
        if (result.Verb == "provision")
        {
            // SIGKILL prints nothing more; Ctrl-C and "in use" say to run it again (or wait for the other command).
            // A kill that came after the summary was printed ("Status  SUCCEEDED") hit a finished command: the
            // user saw its outcome and goes on to the teardown.
            var finishedBeforeKill = result.Killed && result.Out.Split('\n').Any(l => l.StartsWith("Status ", StringComparison.Ordinal));
            if (finishedBeforeKill)
            {
                return defaultTeardown;
            }

            if (result.Killed || result.ExitCode == ExitCodes.Interrupted || (result.ExitCode == ExitCodes.BadUsage && result.Error.Contains("in use", StringComparison.Ordinal)))
            {
                return provision;
            }

            return Advised(result, place) ?? defaultTeardown;
        }

        // Retired, or nothing left to retire (a clean-up or an earlier teardown already took the pair).
        if (result.ExitCode is ExitCodes.Success or ExitCodes.NothingToRetire)
        {
            return null;
        }

        if (result.Error.Contains("Run the same 'workflows provision' command again", StringComparison.Ordinal))
        {
            return provision;
        }

        if (result.ExitCode == ExitCodes.BadUsage && result.Error.Contains("no provision recorded", StringComparison.Ordinal))
        {
            return null;
        }

        // Interrupted, killed, or failed under faults: the same teardown again.
        return result.Killed || result.ExitCode is ExitCodes.Interrupted or ExitCodes.Failed
            ? [.. result.Args.TakeWhile(a => a != "--fault")]
            : null;
    }

    /// <summary>A 'workflows teardown ...' the output names (a Next: line, or an error's advice).</summary>
    private static string[]? Advised(ChaosCommand result, string[] place)
    {
        foreach (var line in (result.Out + "\n" + result.Error).Split('\n'))
        {
            var at = line.IndexOf("workflows teardown ", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var words = line[(at + "workflows ".Length)..].Trim().TrimEnd('.', ')').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Any(w => w.StartsWith('<') || w == "..."))
            {
                continue;
            }

            return [.. words, .. place];
        }

        return null;
    }

    private static async Task<(ChaosCommand First, ChaosCommand Second)> RunConcurrentAsync(ChaosSettings settings, string state, string[] args, ChaosKill kill, int killAt, CancellationToken cancellationToken)
    {
        // The duplicate is typed while the first is under way: at the first's first progress line (it holds the
        // state directory then), the first waits while the duplicate runs. In-process on a virtual clock the
        // first would otherwise finish before any other task got going, so this is what makes them overlap, and
        // always at the same point.
        ChaosCommand? second = null;
        var first = await RunCommandAsync(settings, state, args, kill, killAt, cancellationToken, onFirstLine: () =>
            second = Task.Run(() => RunCommandAsync(settings, state, args, ChaosKill.None, 0, cancellationToken), CancellationToken.None).GetAwaiter().GetResult());
        second ??= await RunCommandAsync(settings, state, args, ChaosKill.None, 0, cancellationToken);
        return (first, second);
    }

    private static async Task<ChaosCommand> RunCommandAsync(ChaosSettings settings, string state, string[] args, ChaosKill kill, int killAt, CancellationToken cancellationToken, Action? onFirstLine = null)
    {
        var before = ReadLastRun(state);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = kill == ChaosKill.Crash
            ? ProcessRunAsync(settings, state, args, killAt, timeout.Token)
            : InProcessRunAsync(settings, state, args, kill == ChaosKill.Interrupt ? killAt : 0, onFirstLine, timeout.Token);
        var limit = Task.Delay(settings.CommandTimeout, CancellationToken.None);
        if (await Task.WhenAny(run, limit) == limit)
        {
            await timeout.CancelAsync();
            return new ChaosCommand(args, -1, string.Empty, string.Empty, false, false, TimedOut: true, null, null);
        }

        var (code, stdout, stderr, interrupted, killed) = await run;
        var after = ReadLastRun(state);
        // A run shown again ('already ran with this input') writes the same record again: it is still its outcome.
        var shown = stdout.Contains("showing the recorded run", StringComparison.Ordinal);
        var recorded = after is not null && (after != before || shown) ? Execution(after) : (null, null);
        return new ChaosCommand(args, code, stdout, stderr, interrupted, killed, false, recorded.Status, recorded.Duration);
    }

    private static async Task<(int, string, string, bool, bool)> InProcessRunAsync(ChaosSettings settings, string state, string[] args, int interruptAt, Action? onFirstLine, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stdout = new WatchingWriter(line =>
        {
            if (line == 1)
            {
                onFirstLine?.Invoke();
            }

            if (interruptAt > 0 && line >= interruptAt)
            {
                cancel.Cancel();
            }
        });
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var host = new CliHost
        {
            WorkingDirectory = Path.GetDirectoryName(state)!,
            Environment = _ => null,
            IsTerminal = false,
            Time = TimeProvider.System,
            IamAudit = settings.IamAudit,
        };
        var code = await Program.RunAsync(args, stdout, stderr, host, cancel.Token);
        return (code, stdout.ToString(), stderr.ToString(), cancel.IsCancellationRequested, false);
    }

    private static async Task<(int, string, string, bool, bool)> ProcessRunAsync(ChaosSettings settings, string state, string[] args, int killAt, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(state)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(settings.ToolPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("WORKFLOWS_HOME");
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + settings.ToolPath);
        var output = new System.Text.StringBuilder();
        var lines = 0;
        var killed = false;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            output.AppendLine(line);
            if (WatchingWriter.IsProgress(line) && ++lines >= killAt && !killed)
            {
                // SIGKILL: no handler runs, nothing is saved, nothing more is printed.
                process.Kill(entireProcessTree: true);
                killed = true;
            }
        }

        await process.WaitForExitAsync(cancellationToken);
        // Killed only if the signal ended it (128 + SIGKILL): a process that had already finished when the kill
        // came (its last lines still in the pipe) finished, and what it printed is its outcome.
        killed = killed && process.ExitCode == 137;
        return (process.ExitCode, output.ToString(), await stderr, false, killed);
    }

    /// <summary>The emulator's clusters in a state directory, read the independent way: a fresh DSQL Local on its data file at the virtual time the last command saved.</summary>
    public static async Task<IReadOnlyList<ClusterSnapshot>> ClustersAsync(string state, TimeSpan later = default)
    {
        var data = Path.Combine(state, Pairs.EmbeddedState.DataFileName);
        if (!File.Exists(data))
        {
            return [];
        }

        var clock = Path.Combine(state, Pairs.EmbeddedState.ClockFileName);
        var saved = File.Exists(clock) ? JsonNode.Parse(await File.ReadAllTextAsync(clock)) : null;
        var now = saved?["virtualNow"]?.GetValue<string>() is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : DateTimeOffset.UtcNow;
        // A copy: reading must not rewrite the file the next command opens.
        var copy = Path.Combine(Path.GetDirectoryName(state)!, "snapshot-dsql-local.json");
        File.Copy(data, copy, overwrite: true);
        await using var server = await DsqlLocalServer.StartAsync(
            new DsqlLocalOptions
            {
                DataFile = copy,
                ProvisioningTime = TimeSpan.FromSeconds(saved?["provisioningSeconds"]?.GetValue<int>() ?? Pairs.BackendSettings.DefaultProvisioningSeconds),
                DeletionTime = TimeSpan.FromSeconds(saved?["deletionSeconds"]?.GetValue<int>() ?? Pairs.BackendSettings.DefaultDeletionSeconds),
            },
            new FixedTime(now + later),
            inProcess: true);
        return server.GetClusters();
    }

    private static string? ReadLastRun(string state)
    {
        var path = Path.Combine(state, "last-run.json");
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    private static (string? Status, TimeSpan? Duration) Execution(string lastRun)
    {
        try
        {
            var execution = JsonNode.Parse(lastRun)?["execution"];
            var status = execution?["status"]?.GetValue<string>();
            TimeSpan? duration = execution?["startDate"]?.GetValue<string>() is { } s && execution["stopDate"]?.GetValue<string>() is { } e
                ? DateTimeOffset.Parse(e, CultureInfo.InvariantCulture) - DateTimeOffset.Parse(s, CultureInfo.InvariantCulture)
                : null;
            return (status, duration);
        }
        catch (System.Text.Json.JsonException)
        {
            return ("unreadable last-run.json", null);
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A scratch directory left behind is harmless.
        }
    }

    /// <summary>stdout that counts the progress lines (one per state entered) and calls back on each.</summary>
    private sealed class WatchingWriter(Action<int> onProgress) : StringWriter(CultureInfo.InvariantCulture)
    {
        private int _lines;

        public static bool IsProgress(string line) => line.StartsWith('[') && line.EndsWith(')');

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && IsProgress(value))
            {
                onProgress(Interlocked.Increment(ref _lines));
            }
        }
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
