using System.Text.Json.Serialization;
using Workflows.Core.Errors;
using Workflows.Core.Requests;

namespace Workflows.Core.Polling;

/// <summary>What a poll loop carries from one check to the next.</summary>
public sealed record PollState(int Attempt, DateTimeOffset StartedAt, int NextWaitSeconds)
{
    /// <summary>The state before the first check: the first wait is the initial delay.</summary>
    public static PollState Start(DateTimeOffset startedAt, PollingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new PollState(0, startedAt, options.InitialDelaySeconds);
    }

    /// <summary>Validates the state a loop passed back in; null when there is none.</summary>
    public static PollState? From(PollStateInput? raw, string field)
    {
        if (raw is null)
        {
            return null;
        }

        var startedAt = RequestRules.Required(raw.StartedAt, $"{field}.startedAt");
        var attempt = raw.Attempt ?? 0;
        if (attempt < 0)
        {
            throw new InvalidRequestException($"{field}.attempt", $"must not be negative, not {attempt}");
        }

        return new PollState(attempt, startedAt, raw.NextWaitSeconds ?? 0);
    }
}

/// <summary>
/// The loop's state as it arrives. The state machines store a poll step's whole output where the state was
/// (ResultPath $.poll), so its other members (decision, clusters, ...) are ignored here.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
public sealed record PollStateInput
{
    public int? Attempt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public int? NextWaitSeconds { get; init; }
}
