using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record LinkClustersInput
{
    public string? ExecutionName { get; init; }

    public string? StateMachineArn { get; init; }

    /// <summary>The request's idempotencyKey: when set it, not the execution name, identifies the run (tokens, tag).</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The primary's Region.</summary>
    public string? Region { get; init; }

    /// <summary>The primary's identifier.</summary>
    public string? Identifier { get; init; }

    public string? WitnessRegion { get; init; }

    public string? PeerArn { get; init; }
}

public sealed record LinkClustersOutput : ClusterInfo
{
    public LinkClustersOutput()
    {
    }

    [SetsRequiredMembers]
    public LinkClustersOutput(ClusterInfo info, bool alreadyLinked)
        : base(info)
    {
        AlreadyLinked = alreadyLinked;
    }

    /// <summary>The primary listed the peer before this call: an earlier attempt made the link.</summary>
    public bool AlreadyLinked { get; init; }
}

public sealed record LinkClustersCommand(string ExecutionName, string? StateMachineArn, ClusterRef Primary, string WitnessRegion, string PeerArn, string? IdempotencyKey = null)
{
    public string RunId => ExecutionTags.RunId(ExecutionName, IdempotencyKey);
}

/// <summary>
/// The back-link: the primary lists the peer, so that both list each other and DSQL starts provisioning them.
/// </summary>
public sealed class LinkClustersStep : IStep<LinkClustersInput, LinkClustersOutput>
{
    public const string Name = "LinkClusters";

    private readonly IDsqlClientFactory _clients;
    private readonly ILogger _logger;

    public LinkClustersStep(IDsqlClientFactory clients, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(logger);
        _clients = clients;
        _logger = logger;
    }

    public static LinkClustersCommand Validate(LinkClustersInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var execution = RequestRules.ExecutionNameOf(input.ExecutionName, "executionName");
        var machine = RequestRules.StateMachineArnOf(input.StateMachineArn, "stateMachineArn");
        var region = RequestRules.Region(input.Region, "region");
        var identifier = RequestRules.ClusterIdentifier(input.Identifier, "identifier");
        var witness = RequestRules.Region(input.WitnessRegion, "witnessRegion");
        var (peerRegion, _) = RequestRules.ClusterArnParts(input.PeerArn, "peerArn");
        if (peerRegion == region)
        {
            throw new InvalidRequestException("peerArn", $"must name a cluster outside region ({region})");
        }

        if (witness == region || witness == peerRegion)
        {
            throw new InvalidRequestException("witnessRegion", $"must differ from region ({region}) and from the peer's Region ({peerRegion})");
        }

        return new LinkClustersCommand(execution, machine, new ClusterRef(region, identifier), witness, input.PeerArn!, RequestRules.IdempotencyKeyOf(input.IdempotencyKey, "idempotencyKey"));
    }

    public async Task<LinkClustersOutput> RunAsync(LinkClustersInput input, CancellationToken cancellationToken = default)
    {
        var request = Validate(input);
        var primary = request.Primary;
        using var scope = _logger.ClusterScope(request.ExecutionName, primary.Region, primary.Identifier);
        var client = _clients.ForRegion(primary.Region);
        try
        {
            var updated = await client.UpdateClusterAsync(
                new UpdateClusterRequest
                {
                    Identifier = primary.Identifier,
                    ClientToken = ClientTokens.Derive(request.RunId, request.StateMachineArn, Name, $"{primary.Region}/{primary.Identifier}/{request.PeerArn}"),
                    MultiRegionProperties = new MultiRegionProperties { WitnessRegion = request.WitnessRegion, Clusters = [request.PeerArn] },
                },
                cancellationToken);
            _logger.Linked(request.PeerArn, updated.Status);
            return new LinkClustersOutput(
                new ClusterInfo
                {
                    Region = primary.Region,
                    Identifier = updated.Identifier,
                    Arn = updated.Arn,
                    Status = updated.Status,
                    Endpoint = ClusterInfo.EndpointOf(updated.Identifier, primary.Region, null),
                    WitnessRegion = request.WitnessRegion,
                    LinkedClusterArns = [request.PeerArn],
                    CreationTime = updated.CreationTime,
                },
                alreadyLinked: false);
        }
        catch (ConflictException)
        {
            // A retry after a call that went through (or a link still settling) conflicts; if the primary
            // already lists the peer, the job is done.
            var current = await client.GetClusterAsync(primary.Identifier, cancellationToken);
            if (current.MultiRegionProperties?.Clusters?.Contains(request.PeerArn, StringComparer.Ordinal) != true)
            {
                throw;
            }

            _logger.AlreadyLinked(request.PeerArn, current.Status);
            return new LinkClustersOutput(ClusterInfoMapping.From(current, primary.Region), alreadyLinked: true);
        }
    }
}
