using Workflows.Core.Errors;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;

namespace Workflows.Core.Requests;

/// <summary>A validated request to change both clusters of a pair; what the update state machine carries.</summary>
public sealed record UpdateRequest
{
    public required ClusterRef Primary { get; init; }

    public required ClusterRef Peer { get; init; }

    /// <summary>Turn deletion protection on (true) or off (false) on both clusters; absent leaves it as it is.</summary>
    public bool? DeletionProtection { get; init; }

    /// <summary>Tags to add or overwrite on both clusters (TagResource); empty when none.</summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    /// <summary>Tag keys to remove from both clusters (UntagResource); empty when none.</summary>
    public required IReadOnlyList<string> UntagKeys { get; init; }

    public required PollingOptions Polling { get; init; }

    public static UpdateRequest From(UpdateRequestInput? raw)
    {
        if (raw is null)
        {
            throw new InvalidRequestException("request", "is required");
        }

        var (primary, peer) = ClusterRef.Pair(raw.Primary, raw.Peer);

        var tags = RequestRules.Tags(raw.Tags, "tags");
        var untag = RequestRules.TagKeys(raw.UntagKeys, "untagKeys");
        // Both at once would leave the key's fate to the order of two calls.
        if (untag.FirstOrDefault(tags.ContainsKey) is { } both)
        {
            throw new InvalidRequestException("untagKeys", $"'{both}' is also in tags: a key is either set or removed");
        }

        if (raw.DeletionProtection is null && tags.Count == 0 && untag.Count == 0)
        {
            throw new InvalidRequestException("request", "asks for no change: give deletionProtection, tags or untagKeys");
        }

        return new UpdateRequest
        {
            Primary = primary,
            Peer = peer,
            DeletionProtection = raw.DeletionProtection,
            Tags = tags,
            UntagKeys = untag,
            Polling = PollingOptions.From(raw.Polling, PollingOptions.UpdateDefaults, "polling"),
        };
    }

    public static UpdateRequest Parse(string json) =>
        From(Payloads.Read(json, StepJsonContext.Default.UpdateRequestInput));
}

public sealed record UpdateRequestInput
{
    public ClusterRefInput? Primary { get; init; }

    public ClusterRefInput? Peer { get; init; }

    public bool? DeletionProtection { get; init; }

    public Dictionary<string, string?>? Tags { get; init; }

    public List<string?>? UntagKeys { get; init; }

    public PollingOptionsInput? Polling { get; init; }
}
