using System.Globalization;

namespace Workflows.Cli.Chaos;

/// <summary>How a provision in a chaos run is identified, which decides what "the same command again" resumes.</summary>
internal enum ChaosIdentity
{
    /// <summary>No --name, no --seed: the CLI's own resume-after-crash logic (ExecutionNames.Unfinished) must find the run.</summary>
    None,

    /// <summary>--name: the execution name is the idempotency key, as with StartExecution.</summary>
    Name,

    /// <summary>--seed: the default name, the identifiers and the fault draws all repeat.</summary>
    Seed,
}

/// <summary>A second copy of the provision request.</summary>
internal enum ChaosDuplicate
{
    None,

    /// <summary>The same command again once the first has finished (a retrying script).</summary>
    Sequential,

    /// <summary>The same command on the same state directory while the first is still running.</summary>
    Concurrent,
}

/// <summary>How a command of the run is stopped part-way.</summary>
internal enum ChaosKill
{
    None,

    /// <summary>Ctrl-C / SIGTERM: the command's token is cancelled; the CLI saves and reports (exit 130).</summary>
    Interrupt,

    /// <summary>SIGKILL of a real 'workflows' process: nothing after the kill runs, no saving, no message.</summary>
    Crash,
}

/// <summary>One run of a campaign, drawn from Random(seed + run): the faults, the duplicate, the kill.</summary>
internal sealed record ChaosScenario
{
    public const string ThrottleKind = "throttle";
    public const string InternalKind = "internal";
    public const string LatencyKind = "latency";
    public const string CreateFailureKind = "create-failure";
    public const string OutageKind = "outage";
    public const string DuplicateKind = "duplicate";
    public const string InterruptKind = "interrupt";
    public const string CrashKind = "crash";

    /// <summary>
    /// Not a fault kind but a combination the campaign found leaking (see README, "workflows chaos"): a create
    /// failure while deletion protection is on leaves a protected FAILED cluster that DSQL Local will neither
    /// update nor delete. --without it turns protection off in those runs, keeping every other draw the same.
    /// </summary>
    public const string ProtectedCreateFailure = "protected-create-failure";

    /// <summary>What --without takes.</summary>
    public static IReadOnlyList<string> Excludable { get; } = [ThrottleKind, InternalKind, LatencyKind, CreateFailureKind, OutageKind, DuplicateKind, InterruptKind, CrashKind, ProtectedCreateFailure];

    /// <summary>Every kind, in report order.</summary>
    public static IReadOnlyList<string> AllKinds { get; } = [ThrottleKind, InternalKind, LatencyKind, CreateFailureKind, OutageKind, DuplicateKind, InterruptKind, CrashKind];

    public required int Run { get; init; }

    public required ChaosIdentity Identity { get; init; }

    /// <summary>The --seed or --name value the provision carries (per <see cref="Identity"/>).</summary>
    public required int CommandSeed { get; init; }

    public required bool DeletionProtection { get; init; }

    public required int ProvisioningSeconds { get; init; }

    public required int DeletionSeconds { get; init; }

    /// <summary>--fault specs that hold for the whole run (throttling, latency): they are the weather, not an incident.</summary>
    public required IReadOnlyList<string> Persistent { get; init; }

    /// <summary>--fault specs of a passing incident (internal errors, create failures, a Region outage): only the first attempt of each command sees them.</summary>
    public required IReadOnlyList<string> Transient { get; init; }

    public required IReadOnlyList<string> Kinds { get; init; }

    public required ChaosDuplicate Duplicate { get; init; }

    public required ChaosKill Kill { get; init; }

    /// <summary>Whether the kill hits the provision (else the first teardown).</summary>
    public required bool KillProvision { get; init; }

    /// <summary>The kill comes when the command has printed this many progress lines (if it gets that far).</summary>
    public required int KillAtLine { get; init; }

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"identity={Identity} protection={DeletionProtection} provisioning={ProvisioningSeconds}s faults=[{string.Join(" ; ", Persistent.Concat(Transient))}] duplicate={Duplicate} kill={Kill}{(Kill == ChaosKill.None ? string.Empty : $"@{(KillProvision ? "provision" : "teardown")}:line{KillAtLine}")}");

    /// <summary>The scenario of run <paramref name="run"/> of the campaign with <paramref name="seed"/>.</summary>
    /// <param name="crashRate">The share of runs whose kill is a real process SIGKILL (slow: a process per command).</param>
    /// <param name="without">Kinds left out: drawn as usual (so every other run and draw stays the same), then dropped.</param>
    public static ChaosScenario Draw(int seed, int run, double crashRate, IReadOnlySet<string>? without = null)
    {
        var drawn = DrawAll(seed, run, crashRate);
        return without is null || without.Count == 0 ? drawn : drawn.Without(without);
    }

    private ChaosScenario Without(IReadOnlySet<string> without)
    {
        bool Keep(string spec) => !without.Contains(KindOf(spec));
        var kinds = Kinds.Where(k => !without.Contains(k)).ToList();
        var kill = Kill switch
        {
            ChaosKill.Interrupt when without.Contains(InterruptKind) => ChaosKill.None,
            ChaosKill.Crash when without.Contains(CrashKind) => ChaosKill.None,
            _ => Kill,
        };
        var transient = Transient.Where(Keep).ToList();
        var protection = DeletionProtection && !(without.Contains(ProtectedCreateFailure) && transient.Any(t => KindOf(t) == CreateFailureKind));
        return this with
        {
            Persistent = Persistent.Where(Keep).ToList(),
            Transient = transient,
            Kinds = kinds,
            Duplicate = without.Contains(DuplicateKind) ? ChaosDuplicate.None : Duplicate,
            Kill = kill,
            DeletionProtection = protection,
        };
    }

    private static string KindOf(string spec) =>
        spec.Contains("throttle=", StringComparison.Ordinal) ? ThrottleKind
        : spec.Contains("latency=", StringComparison.Ordinal) ? LatencyKind
        : spec.Contains("create-failure=", StringComparison.Ordinal) ? CreateFailureKind
        : spec.Contains("internal=1", StringComparison.Ordinal) && spec.EndsWith("internal=1", StringComparison.Ordinal) ? OutageKind
        : InternalKind;

    private static ChaosScenario DrawAll(int seed, int run, double crashRate)
    {
#pragma warning disable CA5394 // Chaos, not security: the draw must repeat from its seed.
        var random = new Random(unchecked(seed + run));
        var kinds = new List<string>();
        var persistent = new List<string>();
        var transient = new List<string>();
        string[] regions = ["us-east-1", "us-east-2"];
        string[] ops = ["*", "CreateCluster", "GetCluster", "UpdateCluster", "DeleteCluster"];
        if (random.NextDouble() < 0.5)
        {
            // Retry-After above 20 s included: the functions must neither spin nor give up early on a long one.
            int[] retryAfter = [0, 1, 5, 20, 25, 45, 90];
            persistent.Add(Spec($"op={Pick(random, ops)},throttle={Rate(random, 0.1, 0.5)},retry-after={Pick(random, retryAfter)}"));
            kinds.Add(ThrottleKind);
        }

        if (random.NextDouble() < 0.35)
        {
            persistent.Add(Spec($"op={Pick(random, ops)},latency={random.Next(20, 4000)}"));
            kinds.Add(LatencyKind);
        }

        if (random.NextDouble() < 0.35)
        {
            transient.Add(Spec($"op={Pick(random, ops)},region={Pick(random, regions)},internal={Rate(random, 0.05, 0.6)}"));
            kinds.Add(InternalKind);
        }

        if (random.NextDouble() < 0.2)
        {
            transient.Add(Spec($"op=CreateCluster,region={Pick(random, regions)},create-failure={Rate(random, 0.3, 1)}"));
            kinds.Add(CreateFailureKind);
        }

        if (random.NextDouble() < 0.15)
        {
            // Inferred model of an outage window: the CLI's embedded emulator takes --fault only (no --outage), so a
            // Region that is down for the whole first attempt and back for the next command is the window.
            transient.Add(Spec($"op=*,region={Pick(random, regions)},internal=1"));
            kinds.Add(OutageKind);
        }

        var duplicate = random.NextDouble() switch
        {
            < 0.15 => ChaosDuplicate.Sequential,
            < 0.3 => ChaosDuplicate.Concurrent,
            _ => ChaosDuplicate.None,
        };
        var identity = (ChaosIdentity)random.Next(3);
        if (identity == ChaosIdentity.None && duplicate == ChaosDuplicate.Sequential)
        {
            // Without --name or --seed a provision has no idempotency key: the same command after it finished is a
            // second request for a second pair, by design. The duplicate it can have is one that overlaps it.
            duplicate = ChaosDuplicate.Concurrent;
        }

        if (duplicate != ChaosDuplicate.None)
        {
            kinds.Add(DuplicateKind);
        }

        var killDraw = random.NextDouble();
        var kill = killDraw < crashRate ? ChaosKill.Crash : killDraw < crashRate + 0.35 ? ChaosKill.Interrupt : ChaosKill.None;
        if (kill != ChaosKill.None)
        {
            kinds.Add(kill == ChaosKill.Crash ? CrashKind : InterruptKind);
        }

        return new ChaosScenario
        {
            Run = run,
            Identity = identity,
            CommandSeed = random.Next(1, 1_000_000),
            DeletionProtection = random.NextDouble() < 0.7,
            ProvisioningSeconds = Pick(random, [0, 30, 120, 600]),
            DeletionSeconds = Pick(random, [0, 10, 60]),
            Persistent = persistent,
            Transient = transient,
            Kinds = kinds,
            Duplicate = duplicate,
            Kill = kill,
            KillProvision = random.NextDouble() < 0.75,
            KillAtLine = random.Next(1, 16),
        };
#pragma warning restore CA5394
    }

    private static string Spec(FormattableString spec) => FormattableString.Invariant(spec);

#pragma warning disable CA5394
    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    private static double Rate(Random random, double low, double high) => Math.Round(low + random.NextDouble() * (high - low), 2);
#pragma warning restore CA5394
}
