namespace DsqlLocal;

/// <summary>
/// Faults to inject into matching requests. "*" matches any operation or Region. Rates are probabilities in
/// [0, 1] drawn from the server's seeded RNG, so a given seed yields the same sequence of outcomes.
/// </summary>
public sealed record FaultRule
{
    /// <summary>Reads the --fault form, "op=CreateCluster,region=us-east-2,internal=1" (keys op, region, throttle,
    /// retry-after, internal, access-denied, latency), and checks it as every other source of rules is checked.</summary>
    /// <exception cref="FormatException">The spec is malformed or the rule could never be valid; the message names the key.</exception>
    public static FaultRule Parse(string spec) => Faults.FaultSpec.ParseRule(spec);

    public string Operation { get; init; } = "*";

    public string Region { get; init; } = "*";

    /// <summary>Probability of answering 429 ThrottlingException.</summary>
    public double ThrottleRate { get; init; }

    /// <summary>The Retry-After header of injected throttles.</summary>
    public int RetryAfterSeconds { get; init; } = 1;

    /// <summary>Probability of answering 500 InternalServerException.</summary>
    public double InternalErrorRate { get; init; }

    /// <summary>
    /// Probability of answering 403 AccessDeniedException, as IAM does for a caller whose policies do not allow
    /// the action. With an operation and Region and a rate of 1, it stands for one missing permission
    /// (say dsql:UpdateCluster in us-east-1) while everything else still works.
    /// </summary>
    public double AccessDeniedRate { get; init; }

    /// <summary>
    /// Probability that a CreateCluster which is otherwise answered normally creates a cluster whose creation
    /// fails: it is CREATING as usual and then FAILED instead of ACTIVE (the user guide's "creation failed").
    /// Only CreateCluster draws it.
    /// </summary>
    public double CreateFailureRate { get; init; }

    /// <summary>Delay (on the server's TimeProvider) before the request is answered.</summary>
    public int LatencyMs { get; init; }

    internal bool Matches(string operation, string region) =>
        (Operation == "*" || string.Equals(Operation, operation, StringComparison.OrdinalIgnoreCase))
        && (Region == "*" || Region == region);
}

/// <summary>A point in time for an outage window: absolute, or relative to the server's start.</summary>
public readonly record struct FaultTime
{
    public DateTimeOffset? At { get; init; }

    public TimeSpan? AfterStart { get; init; }

    public static FaultTime FromTimestamp(DateTimeOffset at) => new() { At = at };

    public static FaultTime FromSecondsAfterStart(double seconds) => new() { AfterStart = TimeSpan.FromSeconds(seconds) };

    internal DateTimeOffset Resolve(DateTimeOffset serverStart) => At ?? serverStart + (AfterStart ?? TimeSpan.Zero);
}

/// <summary>While the window is open, every request for the Region fails with InternalServerException.</summary>
public sealed record OutageWindow
{
    public string Region { get; init; } = "*";

    /// <summary>Null: from the beginning of time.</summary>
    public FaultTime? Start { get; init; }

    /// <summary>Null: never ends.</summary>
    public FaultTime? End { get; init; }

    internal bool IsOpen(string region, DateTimeOffset now, DateTimeOffset serverStart) =>
        (Region == "*" || Region == region)
        && (Start is not { } start || now >= start.Resolve(serverStart))
        && (End is not { } end || now < end.Resolve(serverStart));
}

/// <summary>The complete, immutable fault configuration; replaced as a whole, never edited in place.</summary>
public sealed record FaultSettings
{
    public static FaultSettings None { get; } = new();

    public IReadOnlyList<FaultRule> Rules { get; init; } = [];

    public IReadOnlyList<OutageWindow> Outages { get; init; } = [];
}
