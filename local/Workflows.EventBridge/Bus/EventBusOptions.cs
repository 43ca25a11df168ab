using Workflows.EventBridge.Patterns;

namespace Workflows.EventBridge.Bus;

public sealed record EventBusOptions
{
    public string Region { get; init; } = "us-east-1";

    public string Account { get; init; } = "123456789012";

    /// <summary>How many events the bus keeps for listing and tailing; the oldest go first.</summary>
    public int EventLogCapacity { get; init; } = 1000;

    /// <summary>How many dead letters and deliveries are kept; the oldest go first.</summary>
    public int HistoryCapacity { get; init; } = 1000;

    /// <summary>
    /// Inferred: EventBridge documents "exponential back off and jitter" but not its steps. The n-th retry waits
    /// between half and all of min(RetryMaxDelay, RetryBaseDelay * 2^(n-1)).
    /// </summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The limits PutRule and TestEventPattern validate patterns against.</summary>
    public EventPatternOptions PatternOptions { get; init; } = EventPatternOptions.Default;

    /// <summary>Seeds the jitter and the event ids, so a run can be repeated.</summary>
    public int? RandomSeed { get; init; }
}
