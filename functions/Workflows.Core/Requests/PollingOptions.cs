using Workflows.Core.Errors;

namespace Workflows.Core.Requests;

/// <summary>How a poll loop paces itself and when it gives up (see <see cref="Polling.PollPolicy"/>).</summary>
public sealed record PollingOptions(int InitialDelaySeconds, int MinDelaySeconds, int MaxDelaySeconds, int DeadlineSeconds, int MaxAttempts)
{
    /// <summary>Multi-Region provisioning takes minutes: the first look comes after three.</summary>
    public static PollingOptions ProvisionDefaults { get; } = new(180, 10, 120, 3600, 60);

    /// <summary>Teardown and the provisioning clean-up: deletion is quicker, so look sooner and more often.</summary>
    public static PollingOptions TeardownDefaults { get; } = new(30, 10, 60, 1800, 100);

    /// <summary>
    /// Update: a deletion-protection change leaves the clusters UPDATING for seconds, not minutes, so look soon and
    /// often, and give up well before a provisioning would.
    /// </summary>
    public static PollingOptions UpdateDefaults { get; } = new(5, 5, 30, 1800, 100);

    /// <summary>Fills the members left out with <paramref name="defaults"/> and checks the contract's ranges.</summary>
    public static PollingOptions From(PollingOptionsInput? raw, PollingOptions defaults, string field)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var initial = RequestRules.InRange(raw?.InitialDelaySeconds ?? defaults.InitialDelaySeconds, 0, 3600, $"{field}.initialDelaySeconds");
        var min = RequestRules.InRange(raw?.MinDelaySeconds ?? defaults.MinDelaySeconds, 1, 300, $"{field}.minDelaySeconds");
        // A larger minimum lifts the default maximum with it, instead of failing on a value nobody wrote.
        var maxDefault = Math.Max(defaults.MaxDelaySeconds, min);
        var max = raw?.MaxDelaySeconds ?? maxDefault;
        if (max < min || max > 3600)
        {
            throw new InvalidRequestException($"{field}.maxDelaySeconds", $"must be between minDelaySeconds ({min}) and 3600, not {max}");
        }

        var deadline = RequestRules.InRange(raw?.DeadlineSeconds ?? defaults.DeadlineSeconds, 60, 86400, $"{field}.deadlineSeconds");
        // Each range holds alone, yet a first look at or after the deadline could never see the clusters ready.
        if (initial >= deadline)
        {
            throw new InvalidRequestException(
                $"{field}.initialDelaySeconds", $"must be less than {field}.deadlineSeconds ({deadline}), not {initial}: the first check would come after the deadline");
        }

        var attempts = RequestRules.InRange(raw?.MaxAttempts ?? defaults.MaxAttempts, 1, 500, $"{field}.maxAttempts");
        return new PollingOptions(initial, min, (int)max, deadline, attempts);
    }
}

/// <summary>
/// Polling options as they arrive: any member may be left out. Read as 64-bit so that a huge number is reported
/// as out of range rather than as "not a whole number".
/// </summary>
public sealed record PollingOptionsInput
{
    public long? InitialDelaySeconds { get; init; }

    public long? MinDelaySeconds { get; init; }

    public long? MaxDelaySeconds { get; init; }

    public long? DeadlineSeconds { get; init; }

    public long? MaxAttempts { get; init; }
}
