using System.Globalization;
using System.Text.Json.Nodes;
using DsqlLocal;

namespace Workflows.Cli.Chaos;

/// <summary>One command of a chaos run as the campaign saw it.</summary>
/// <param name="Status">The execution status the command recorded in last-run.json (null: it recorded none).</param>
/// <param name="VirtualDuration">The recorded execution's virtual duration (start to stop).</param>
internal sealed record ChaosCommand(
    IReadOnlyList<string> Args,
    int ExitCode,
    string Out,
    string Error,
    bool InterruptRequested,
    bool Killed,
    bool TimedOut,
    string? Status,
    TimeSpan? VirtualDuration)
{
    public string Verb => Args.Count > 0 ? Args[0] : "?";

    public string Line => "workflows " + string.Join(' ', Args.Select(a => a.Contains(' ', StringComparison.Ordinal) || a.Contains(';', StringComparison.Ordinal) ? $"\"{a}\"" : a));
}

/// <summary>What one run found: zero everywhere is a pass.</summary>
internal sealed record ChaosRunResult(int Run, string Scenario, int Commands, int Leaked, int Duplicate, int Stuck, int WrongTerminal, IReadOnlyList<string> Problems)
{
    public bool Passed => Leaked == 0 && Duplicate == 0 && Stuck == 0 && WrongTerminal == 0;
}

/// <summary>Classifies what a run's commands did and what the emulator holds afterwards.</summary>
internal static class ChaosClassifier
{
    /// <summary>A command that took longer than this in virtual time did not terminate in any useful sense.</summary>
    public static readonly TimeSpan VirtualBound = TimeSpan.FromHours(6);

    private static readonly HashSet<string> Gone = new(StringComparer.Ordinal) { "DELETED" };

    // A cluster in these states is no longer a live pair member (it is going, or never came up).
    private static readonly HashSet<string> NotLive = new(StringComparer.Ordinal) { "DELETED", "DELETING", "FAILED" };

    /// <param name="snapshots">The emulator's clusters after each command.</param>
    /// <param name="final">The emulator's clusters after the last command (the final teardown).</param>
    public static ChaosRunResult Classify(int run, string scenario, IReadOnlyList<ChaosCommand> commands, IReadOnlyList<IReadOnlyList<ClusterSnapshot>> snapshots, IReadOnlyList<ClusterSnapshot> final, bool finished)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(final);
        var problems = new List<string>();
        var leaked = final.Where(c => !Gone.Contains(c.Status)).ToList();
        foreach (var c in leaked)
        {
            problems.Add($"leaked: {c.Region} {c.Identifier} ({c.Status}) after the final teardown");
        }

        // One request, one pair: more than two clusters alive across the run means a second pair was made.
        var live = snapshots.SelectMany(s => s).Where(c => !NotLive.Contains(c.Status)).Select(c => c.Identifier).Distinct(StringComparer.Ordinal).ToList();
        var duplicate = live.Count > 2 ? 1 : 0;
        if (duplicate > 0)
        {
            problems.Add($"duplicate: {live.Count} live clusters across the run ({string.Join(", ", live)}), more than one pair");
        }

        var stuck = 0;
        var wrong = 0;
        foreach (var command in commands)
        {
            if (command.TimedOut || command.VirtualDuration > VirtualBound)
            {
                stuck++;
                problems.Add($"stuck: '{command.Line}' {(command.TimedOut ? "did not finish within the wall-time limit" : $"ran {command.VirtualDuration} of virtual time")}");
                continue;
            }

            if (command.Killed)
            {
                continue;
            }

            if (WrongTerminal(command) is { } why)
            {
                wrong++;
                problems.Add($"wrong terminal: '{command.Line}' {why}");
            }
        }

        if (!finished)
        {
            stuck++;
            problems.Add("stuck: the run did not reach a finished teardown within its command budget (following the CLI's advice)");
        }

        return new ChaosRunResult(run, scenario, commands.Count, leaked.Count, duplicate, stuck, wrong, problems);
    }

    /// <summary>Why the exit code does not match the outcome, or null when it does.</summary>
    public static string? WrongTerminal(ChaosCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var status = command.Status;
        return command.ExitCode switch
        {
            ExitCodes.InternalError => $"exited 3 (internal error): {FirstLine(command.Error)}",
            ExitCodes.Success when status is not null and not "SUCCEEDED" => $"exited 0 with the execution {status}",
            ExitCodes.Success when status is null => "exited 0 without recording an execution",
            ExitCodes.Failed when status is "SUCCEEDED" => "exited 1 with the execution SUCCEEDED",
            ExitCodes.Interrupted when !command.InterruptRequested => "exited 130 (interrupted) though nobody interrupted it",
            ExitCodes.Interrupted when status is not (null or "ABORTED") => $"exited 130 with the execution {status}",
            // Only a teardown may find nothing to retire, and only when it ran to its end.
            ExitCodes.NothingToRetire when command.Args is not ["teardown", ..] => $"exited 4 (nothing to retire) from '{string.Join(' ', command.Args)}'",
            ExitCodes.NothingToRetire when status is not (null or "SUCCEEDED") => $"exited 4 (nothing to retire) with the execution {status}",
            ExitCodes.Success or ExitCodes.Failed or ExitCodes.BadUsage or ExitCodes.Interrupted or ExitCodes.NothingToRetire => null,
            _ => $"exited {command.ExitCode}, which is not one of the tool's exit codes",
        };
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? string.Empty;
}

/// <summary>A whole campaign: per-run results in run order and the totals.</summary>
internal sealed record ChaosReport(int Seed, IReadOnlyList<ChaosRunResult> Runs, IReadOnlyDictionary<string, int> FaultKinds, int CommandsRun, TimeSpan Wall)
{
    /// <summary>The kinds the campaign left out (--without), part of every reproduction.</summary>
    public IReadOnlyList<string> Without { get; init; } = [];

    /// <summary>Whether the campaign enforced IAM (--iam enforce), part of every reproduction with its revocations.</summary>
    public bool IamEnforce { get; init; }

    public IReadOnlyList<string> IamRevocations { get; init; } = [];

    public int Leaked => Runs.Sum(r => r.Leaked);

    public int Duplicate => Runs.Sum(r => r.Duplicate);

    public int Stuck => Runs.Sum(r => r.Stuck);

    public int WrongTerminal => Runs.Sum(r => r.WrongTerminal);

    public bool Passed => Runs.All(r => r.Passed);

    public IEnumerable<ChaosRunResult> Failures => Runs.Where(r => !r.Passed);

    /// <summary>The command that repeats one run alone.</summary>
    public string Reproduce(ChaosRunResult run) => string.Create(CultureInfo.InvariantCulture, $"workflows chaos --seed {Seed} --only {run.Run}{string.Concat(Without.Select(w => " --without " + w))} --iam {(IamEnforce ? "enforce" : "off")}{string.Concat(IamRevocations.Select(r => " --iam-revoke " + r))}");

    /// <param name="withWall">
    /// False for comparing two campaigns: the wall time and the number of commands typed are measurements (a run
    /// without --seed draws its faults unseeded, a SIGKILL lands a line early or late, so how many reruns the
    /// advice takes varies); the scenarios, the counts and the failing runs repeat from the seed.
    /// </param>
    public JsonObject ToJson(bool withWall = true)
    {
        var kinds = new JsonObject();
        foreach (var (kind, count) in FaultKinds)
        {
            kinds[kind] = count;
        }

        var failures = new JsonArray();
        foreach (var r in Failures)
        {
            failures.Add(new JsonObject
            {
                ["run"] = r.Run,
                ["scenario"] = r.Scenario,
                ["leaked"] = r.Leaked,
                ["duplicate"] = r.Duplicate,
                ["stuck"] = r.Stuck,
                ["wrongTerminal"] = r.WrongTerminal,
                ["problems"] = new JsonArray([.. r.Problems.Select(p => (JsonNode)p)]),
                ["reproduce"] = Reproduce(r),
            });
        }

        var o = new JsonObject
        {
            ["seed"] = Seed,
            ["runs"] = Runs.Count,
            ["leaked"] = Leaked,
            ["duplicate"] = Duplicate,
            ["stuck"] = Stuck,
            ["wrongTerminal"] = WrongTerminal,
            ["passed"] = Passed,
            ["faultKinds"] = kinds,
            ["without"] = new JsonArray([.. Without.Select(w => (JsonNode)w)]),
            ["failures"] = failures,
        };
        if (withWall)
        {
            o["commands"] = CommandsRun;
            o["wallSeconds"] = Math.Round(Wall.TotalSeconds, 1);
        }

        return o;
    }
}
