using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Dsql;
using Workflows.Core.Errors;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record CreatePrimaryClusterInput
{
    public string? ExecutionName { get; init; }

    public string? StateMachineArn { get; init; }

    /// <summary>The request's idempotencyKey: when set it, not the execution name, identifies the run (tokens, tag).</summary>
    public string? IdempotencyKey { get; init; }

    public string? Region { get; init; }

    public string? WitnessRegion { get; init; }

    /// <summary>Defaults to true, as DSQL does.</summary>
    public bool? DeletionProtection { get; init; }

    public Dictionary<string, string?>? Tags { get; init; }

    /// <summary>When the execution started ($$.Execution.StartTime): a cluster older than this came from a clientToken replay.</summary>
    public DateTimeOffset? StartedAt { get; init; }
}

public sealed record CreatePrimaryClusterOutput : ClusterInfo
{
    public CreatePrimaryClusterOutput()
    {
    }

    [SetsRequiredMembers]
    public CreatePrimaryClusterOutput(ClusterInfo info)
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

/// <summary>The validated form of <see cref="CreatePrimaryClusterInput"/>.</summary>
public sealed record CreatePrimaryClusterCommand(
    string ExecutionName,
    string? StateMachineArn,
    string Region,
    string WitnessRegion,
    bool DeletionProtection,
    IReadOnlyDictionary<string, string> Tags,
    string? IdempotencyKey = null,
    DateTimeOffset? StartedAt = null)
{
    /// <summary>What identifies this run in clientTokens and tags.</summary>
    public string RunId => ExecutionTags.RunId(ExecutionName, IdempotencyKey);
}

/// <summary>
/// Creates the first cluster of a pair: multi-Region (a witness, no peer yet), so it waits in PENDING_SETUP
/// until the peer and the link exist.
/// </summary>
public sealed class CreatePrimaryClusterStep : IStep<CreatePrimaryClusterInput, CreatePrimaryClusterOutput>
{
    public const string Name = "CreatePrimaryCluster";

    private readonly IDsqlClientFactory _clients;
    private readonly ILogger _logger;

    public CreatePrimaryClusterStep(IDsqlClientFactory clients, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(logger);
        _clients = clients;
        _logger = logger;
    }

    public static CreatePrimaryClusterCommand Validate(CreatePrimaryClusterInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var execution = RequestRules.ExecutionNameOf(input.ExecutionName, "executionName");
        var machine = RequestRules.StateMachineArnOf(input.StateMachineArn, "stateMachineArn");
        var region = RequestRules.Region(input.Region, "region");
        var witness = RequestRules.Region(input.WitnessRegion, "witnessRegion");
        if (witness == region)
        {
            throw new InvalidRequestException("witnessRegion", $"must differ from region ({region})");
        }

        return new CreatePrimaryClusterCommand(execution, machine, region, witness, input.DeletionProtection ?? true, RequestRules.Tags(input.Tags, "tags"), RequestRules.IdempotencyKeyOf(input.IdempotencyKey, "idempotencyKey"), input.StartedAt);
    }

    public async Task<CreatePrimaryClusterOutput> RunAsync(CreatePrimaryClusterInput input, CancellationToken cancellationToken = default)
    {
        var request = Validate(input);
        using var scope = _logger.ClusterScope(request.ExecutionName, request.Region);
        _logger.Creating("primary", request.WitnessRegion);
        var created = await _clients.ForRegion(request.Region).CreateClusterAsync(
            new CreateClusterRequest
            {
                ClientToken = ClientTokens.Derive(request.RunId, request.StateMachineArn, Name, request.Region),
                DeletionProtectionEnabled = request.DeletionProtection,
                Tags = ExecutionTags.With(request.Tags, request.RunId, request.StateMachineArn),
                MultiRegionProperties = new MultiRegionProperties { WitnessRegion = request.WitnessRegion },
            },
            cancellationToken);
        using var clusterScope = _logger.ClusterScope(request.ExecutionName, request.Region, created.Identifier);
        _logger.Created("primary", created.Arn, created.Status);
        var info = ClusterInfoMapping.From(created, request.Region);
        var ours = RunOwnership.CreatedSince(created.CreationTime, request.StartedAt);
        if (!ours)
        {
            // Older than the run: a replay. Whose it is, the tags say (an earlier attempt of this execution, or
            // another request with the same idempotencyKey).
            var current = await RunOwnership.EnsureReplayedClusterLivesAsync(_clients.ForRegion(request.Region), info, request.IdempotencyKey, cancellationToken);
            ours = RunOwnership.TaggedByThisExecution(current.Tags, request.ExecutionName, request.StateMachineArn, request.IdempotencyKey);
        }

        return new CreatePrimaryClusterOutput(info) { CreatedByThisRun = ours };
    }
}
