using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Dsql;
using Workflows.Core.Errors;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record CreatePeerClusterInput
{
    public string? ExecutionName { get; init; }

    public string? StateMachineArn { get; init; }

    /// <summary>The request's idempotencyKey: when set it, not the execution name, identifies the run (tokens, tag).</summary>
    public string? IdempotencyKey { get; init; }

    public string? Region { get; init; }

    public string? WitnessRegion { get; init; }

    public string? PrimaryArn { get; init; }

    public bool? DeletionProtection { get; init; }

    public Dictionary<string, string?>? Tags { get; init; }

    /// <summary>When the execution started ($$.Execution.StartTime): a cluster older than this came from a clientToken replay.</summary>
    public DateTimeOffset? StartedAt { get; init; }
}

public sealed record CreatePeerClusterOutput : ClusterInfo
{
    public CreatePeerClusterOutput()
    {
    }

    [SetsRequiredMembers]
    public CreatePeerClusterOutput(ClusterInfo info)
        : base(info)
    {
    }

    /// <summary>
    /// False when the create was answered with a cluster an earlier execution made (a duplicate request with the
    /// same idempotencyKey): the clean-up leaves such a cluster alone. True for a cluster made since the run
    /// started, and for one an earlier attempt of this same execution name and state machine made (its tags say so).
    /// </summary>
    public bool CreatedByThisRun { get; init; } = true;
}

public sealed record CreatePeerClusterCommand(
    string ExecutionName,
    string? StateMachineArn,
    string Region,
    string WitnessRegion,
    string PrimaryArn,
    bool DeletionProtection,
    IReadOnlyDictionary<string, string> Tags,
    string? IdempotencyKey = null,
    DateTimeOffset? StartedAt = null)
{
    /// <summary>What identifies this run in clientTokens and tags.</summary>
    public string RunId => ExecutionTags.RunId(ExecutionName, IdempotencyKey);
}

/// <summary>Creates the second cluster of a pair, already listing the primary as its peer, with the same witness.</summary>
public sealed class CreatePeerClusterStep : IStep<CreatePeerClusterInput, CreatePeerClusterOutput>
{
    public const string Name = "CreatePeerCluster";

    private readonly IDsqlClientFactory _clients;
    private readonly ILogger _logger;

    public CreatePeerClusterStep(IDsqlClientFactory clients, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(logger);
        _clients = clients;
        _logger = logger;
    }

    public static CreatePeerClusterCommand Validate(CreatePeerClusterInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var execution = RequestRules.ExecutionNameOf(input.ExecutionName, "executionName");
        var machine = RequestRules.StateMachineArnOf(input.StateMachineArn, "stateMachineArn");
        var region = RequestRules.Region(input.Region, "region");
        var witness = RequestRules.Region(input.WitnessRegion, "witnessRegion");
        var (primaryRegion, _) = RequestRules.ClusterArnParts(input.PrimaryArn, "primaryArn");
        RequestRules.DistinctRegions(primaryRegion, "the primary's Region", region, "region", witness, "witnessRegion");
        return new CreatePeerClusterCommand(
            execution, machine, region, witness, input.PrimaryArn!, input.DeletionProtection ?? true, RequestRules.Tags(input.Tags, "tags"), RequestRules.IdempotencyKeyOf(input.IdempotencyKey, "idempotencyKey"), input.StartedAt);
    }

    public async Task<CreatePeerClusterOutput> RunAsync(CreatePeerClusterInput input, CancellationToken cancellationToken = default)
    {
        var request = Validate(input);
        using var scope = _logger.ClusterScope(request.ExecutionName, request.Region);
        _logger.Creating("peer", request.WitnessRegion);
        var created = await _clients.ForRegion(request.Region).CreateClusterAsync(
            new CreateClusterRequest
            {
                ClientToken = ClientTokens.Derive(request.RunId, request.StateMachineArn, Name, $"{request.Region}/{request.PrimaryArn}"),
                DeletionProtectionEnabled = request.DeletionProtection,
                Tags = ExecutionTags.With(request.Tags, request.RunId, request.StateMachineArn),
                MultiRegionProperties = new MultiRegionProperties { WitnessRegion = request.WitnessRegion, Clusters = [request.PrimaryArn] },
            },
            cancellationToken);
        using var clusterScope = _logger.ClusterScope(request.ExecutionName, request.Region, created.Identifier);
        _logger.Created("peer", created.Arn, created.Status);
        var info = ClusterInfoMapping.From(created, request.Region);
        var ours = RunOwnership.CreatedSince(created.CreationTime, request.StartedAt);
        if (!ours)
        {
            // Older than the run: a replay. Whose it is, the tags say (an earlier attempt of this execution, or
            // another request with the same idempotencyKey).
            var current = await RunOwnership.EnsureReplayedClusterLivesAsync(_clients.ForRegion(request.Region), info, request.IdempotencyKey, cancellationToken);
            ours = RunOwnership.TaggedByThisExecution(current.Tags, request.ExecutionName, request.StateMachineArn, request.IdempotencyKey);
        }

        return new CreatePeerClusterOutput(info) { CreatedByThisRun = ours };
    }
}
