using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record FindExecutionClustersInput
{
    public string? ExecutionName { get; init; }

    public string? StateMachineArn { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>Where to look: the Regions the run may have created clusters in.</summary>
    public List<string?>? Regions { get; init; }

    /// <summary>
    /// The execution's start: for a run with an idempotencyKey only clusters created since then are returned, since
    /// older ones with the same tags belong to an earlier request with the same key and are not this run's to clean
    /// up. Without a key the tags name this execution and state machine, so older ones are an earlier attempt of
    /// this same execution (a re-run under the same name) and are returned too.
    /// </summary>
    public DateTimeOffset? CreatedAfter { get; init; }
}

public sealed record FoundCluster
{
    public required string Region { get; init; }

    public required string Identifier { get; init; }

    public required string Arn { get; init; }
}

public sealed record FindExecutionClustersOutput
{
    /// <summary>Clusters carrying this run's tags, in the order of the Regions asked about.</summary>
    public required IReadOnlyList<FoundCluster> Clusters { get; init; }
}

public sealed record FindExecutionClustersCommand(string ExecutionName, string? StateMachineArn, string? IdempotencyKey, IReadOnlyList<string> Regions, DateTimeOffset? CreatedAfter = null)
{
    public string RunId => ExecutionTags.RunId(ExecutionName, IdempotencyKey);
}

/// <summary>
/// Finds the clusters a run created by the tags the create steps put on them. A create call whose answer was
/// lost (a timeout, a crash, a 5xx after the work was done) may still have made a cluster; only this search can
/// tell, so the state machine runs it before deciding there is nothing to clean up.
/// </summary>
public sealed class FindExecutionClustersStep : IStep<FindExecutionClustersInput, FindExecutionClustersOutput>
{
    public const string Name = "FindExecutionClusters";
    public const int MaxRegions = 3;

    private readonly IDsqlClientFactory _clients;
    private readonly ILogger _logger;

    public FindExecutionClustersStep(IDsqlClientFactory clients, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(logger);
        _clients = clients;
        _logger = logger;
    }

    public static FindExecutionClustersCommand Validate(FindExecutionClustersInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var execution = RequestRules.ExecutionNameOf(input.ExecutionName, "executionName");
        var machine = RequestRules.StateMachineArnOf(input.StateMachineArn, "stateMachineArn");
        var key = RequestRules.IdempotencyKeyOf(input.IdempotencyKey, "idempotencyKey");
        if (input.Regions is null || input.Regions.Count is 0 or > MaxRegions)
        {
            throw new InvalidRequestException("regions", $"must list 1 to {MaxRegions} Regions");
        }

        var regions = new List<string>(input.Regions.Count);
        for (var i = 0; i < input.Regions.Count; i++)
        {
            var region = RequestRules.Region(input.Regions[i], $"regions[{i}]");
            if (regions.Contains(region))
            {
                throw new InvalidRequestException($"regions[{i}]", $"lists {region} twice");
            }

            regions.Add(region);
        }

        return new FindExecutionClustersCommand(execution, machine, key, regions, input.CreatedAfter);
    }

    public async Task<FindExecutionClustersOutput> RunAsync(FindExecutionClustersInput input, CancellationToken cancellationToken = default)
    {
        var request = Validate(input);
        var wanted = ExecutionTags.Identifying(request.RunId, request.StateMachineArn);
        // Tags naming this execution and state machine (no idempotencyKey) are this run's whatever the clusters' age:
        // an earlier attempt under the same name made them. Tags naming a key are shared with duplicate requests,
        // so only clusters made since the run started count.
        var createdAfter = request.IdempotencyKey is null && request.StateMachineArn is not null ? null : request.CreatedAfter;
        var perRegion = await Task.WhenAll(request.Regions.Select(r => SearchAsync(request.ExecutionName, r, wanted, createdAfter, cancellationToken)));
        return new FindExecutionClustersOutput { Clusters = perRegion.SelectMany(found => found).ToList() };
    }

    private async Task<List<FoundCluster>> SearchAsync(string execution, string region, Dictionary<string, string> wanted, DateTimeOffset? createdAfter, CancellationToken cancellationToken)
    {
        using var scope = _logger.ClusterScope(execution, region);
        var client = _clients.ForRegion(region);
        var summaries = new List<ClusterSummary>();
        await foreach (var summary in client.ListAllClustersAsync(cancellationToken: cancellationToken))
        {
            summaries.Add(summary);
        }

        var tagged = await Task.WhenAll(summaries.Select(async s => (Summary: s, Tags: await TagsAsync(client, s.Arn, cancellationToken))));
        var matching = tagged
            .Where(t => t.Tags is not null && wanted.All(w => t.Tags.TryGetValue(w.Key, out var value) && value == w.Value))
            .Select(t => t.Summary)
            .ToList();
        // The listing carries no creation time, so only the few tag matches are read again.
        var ours = createdAfter is null
            ? matching
            : (await Task.WhenAll(matching.Select(async s => (Summary: s, Created: await CreationTimeAsync(client, s.Identifier, cancellationToken)))))
                .Where(c => c.Created is not null && RunOwnership.CreatedSince(c.Created, createdAfter))
                .Select(c => c.Summary)
                .ToList();
        var found = ours
            .Select(s => new FoundCluster { Region = region, Identifier = s.Identifier, Arn = s.Arn })
            .ToList();
        _logger.Searched(summaries.Count, found.Count);
        return found;
    }

    private static async Task<DateTimeOffset?> CreationTimeAsync(IDsqlClient client, string identifier, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.GetClusterAsync(identifier, cancellationToken)).CreationTime;
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }

    private static async Task<IReadOnlyDictionary<string, string>?> TagsAsync(IDsqlClient client, string arn, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.ListTagsForResourceAsync(arn, cancellationToken)).Tags ?? new Dictionary<string, string>();
        }
        catch (ResourceNotFoundException)
        {
            // Deleted between the listing and this call: nothing left to clean up.
            return null;
        }
    }
}
