using Workflows.Core.Errors;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;

namespace Workflows.Core.Requests;

/// <summary>
/// A validated request for a multi-Region cluster pair, every default filled in. This is what the provision
/// state machine carries (<c>$.request</c>) after its first state, and what the CLI checks before it starts.
/// </summary>
public sealed record ProvisionRequest
{
    public required string PrimaryRegion { get; init; }

    public required string PeerRegion { get; init; }

    public required string WitnessRegion { get; init; }

    public required bool DeletionProtection { get; init; }

    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    public required bool KeepOnFailure { get; init; }

    public required PollingOptions Polling { get; init; }

    /// <summary>
    /// Identifies the request across duplicate deliveries: two executions with the same key make one pair. Event
    /// producers should set it (e.g. to their request id). Written even when null, so the state machine can pass
    /// <c>$.request.idempotencyKey</c> on without checking for it.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public string? IdempotencyKey { get; init; }

    /// <summary>Validates and normalizes a raw request. Errors name the member relative to the request (<c>polling.maxAttempts</c>).</summary>
    public static ProvisionRequest From(ProvisionRequestInput? raw)
    {
        if (raw is null)
        {
            throw new InvalidRequestException("request", "is required");
        }

        var primary = RequestRules.Region(raw.PrimaryRegion, "primaryRegion");
        var peer = RequestRules.Region(raw.PeerRegion, "peerRegion");
        var witness = RequestRules.Region(raw.WitnessRegion, "witnessRegion");
        RequestRules.DistinctRegions(primary, "primaryRegion", peer, "peerRegion", witness, "witnessRegion");
        return new ProvisionRequest
        {
            PrimaryRegion = primary,
            PeerRegion = peer,
            WitnessRegion = witness,
            DeletionProtection = raw.DeletionProtection ?? true,
            Tags = RequestRules.Tags(raw.Tags, "tags"),
            KeepOnFailure = raw.KeepOnFailure ?? false,
            Polling = PollingOptions.From(raw.Polling, PollingOptions.ProvisionDefaults, "polling"),
            IdempotencyKey = RequestRules.IdempotencyKeyOf(raw.IdempotencyKey, "idempotencyKey"),
        };
    }

    /// <summary>Parses and validates a request document (e.g. the CLI's input file). Unknown members are refused.</summary>
    public static ProvisionRequest Parse(string json) =>
        From(Payloads.Read(json, StepJsonContext.Default.ProvisionRequestInput));
}

/// <summary>A provision request as it arrives: only the three Regions are required.</summary>
public sealed record ProvisionRequestInput
{
    public string? PrimaryRegion { get; init; }

    public string? PeerRegion { get; init; }

    public string? WitnessRegion { get; init; }

    public bool? DeletionProtection { get; init; }

    public Dictionary<string, string?>? Tags { get; init; }

    public bool? KeepOnFailure { get; init; }

    public PollingOptionsInput? Polling { get; init; }

    public string? IdempotencyKey { get; init; }
}
