using Workflows.Core.Errors;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;

namespace Workflows.Core.Requests;

/// <summary>A validated request to retire a cluster pair; what the teardown state machine carries.</summary>
public sealed record TeardownRequest
{
    public required ClusterRef Primary { get; init; }

    public required ClusterRef Peer { get; init; }

    /// <summary>Turn deletion protection off instead of stopping at a protected cluster.</summary>
    public required bool Force { get; init; }

    public required PollingOptions Polling { get; init; }

    public static TeardownRequest From(TeardownRequestInput? raw)
    {
        if (raw is null)
        {
            throw new InvalidRequestException("request", "is required");
        }

        var (primary, peer) = ClusterRef.Pair(raw.Primary, raw.Peer);

        return new TeardownRequest
        {
            Primary = primary,
            Peer = peer,
            Force = raw.Force ?? false,
            Polling = PollingOptions.From(raw.Polling, PollingOptions.TeardownDefaults, "polling"),
        };
    }

    public static TeardownRequest Parse(string json) =>
        From(Payloads.Read(json, StepJsonContext.Default.TeardownRequestInput));
}

public sealed record TeardownRequestInput
{
    public ClusterRefInput? Primary { get; init; }

    public ClusterRefInput? Peer { get; init; }

    public bool? Force { get; init; }

    public PollingOptionsInput? Polling { get; init; }
}
