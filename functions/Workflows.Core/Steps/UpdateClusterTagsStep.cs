using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Errors;
using Workflows.Core.Hosting;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record UpdateClusterTagsInput
{
    /// <summary>For the log lines only: TagResource and UntagResource take no clientToken (they are idempotent as they are).</summary>
    public string? ExecutionName { get; init; }

    public string? Region { get; init; }

    public string? Identifier { get; init; }

    /// <summary>The cluster's ARN, which the tagging calls address; looked up with GetCluster when absent.</summary>
    public string? Arn { get; init; }

    public Dictionary<string, string?>? Tags { get; init; }

    public List<string?>? UntagKeys { get; init; }
}

public sealed record UpdateClusterTagsOutput
{
    public required string Region { get; init; }

    public required string Identifier { get; init; }

    public required string Arn { get; init; }

    /// <summary>The tags set (added or overwritten).</summary>
    public required IReadOnlyDictionary<string, string> Tagged { get; init; }

    /// <summary>The keys removed (a key the cluster did not have counts as removed).</summary>
    public required IReadOnlyList<string> Untagged { get; init; }
}

public sealed record UpdateClusterTagsCommand(string? ExecutionName, ClusterRef Cluster, string? Arn, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> UntagKeys);

/// <summary>
/// Sets and removes user tags on one cluster. The reserved prefixes (aws:, workflows:) are refused: the workflows'
/// own tags are what the IAM conditions and the provisioning clean-up's search rely on. Running it again with the
/// same input changes nothing more, so a retry or a re-run is safe.
/// </summary>
public sealed class UpdateClusterTagsStep : IStep<UpdateClusterTagsInput, UpdateClusterTagsOutput>
{
    public const string Name = "UpdateClusterTags";

    private readonly IDsqlClientFactory _clients;
    private readonly ILogger _logger;

    public UpdateClusterTagsStep(IDsqlClientFactory clients, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(logger);
        _clients = clients;
        _logger = logger;
    }

    public static UpdateClusterTagsCommand Validate(UpdateClusterTagsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cluster = new ClusterRef(RequestRules.Region(input.Region, "region"), RequestRules.ClusterIdentifier(input.Identifier, "identifier"));
        if (input.Arn is not null && RequestRules.ClusterArnParts(input.Arn, "arn") != (cluster.Region, cluster.Identifier))
        {
            throw new InvalidRequestException("arn", $"'{input.Arn}' does not name {cluster.Identifier} in {cluster.Region}");
        }

        var tags = RequestRules.Tags(input.Tags, "tags");
        var untag = RequestRules.TagKeys(input.UntagKeys, "untagKeys");
        if (untag.FirstOrDefault(tags.ContainsKey) is { } both)
        {
            throw new InvalidRequestException("untagKeys", $"'{both}' is also in tags: a key is either set or removed");
        }

        return new UpdateClusterTagsCommand(
            input.ExecutionName is null ? null : RequestRules.ExecutionNameOf(input.ExecutionName, "executionName"),
            cluster,
            input.Arn,
            tags,
            untag);
    }

    public async Task<UpdateClusterTagsOutput> RunAsync(UpdateClusterTagsInput input, CancellationToken cancellationToken = default)
    {
        var request = Validate(input);
        var cluster = request.Cluster;
        using var scope = _logger.ClusterScope(request.ExecutionName, cluster.Region, cluster.Identifier);
        var client = _clients.ForRegion(cluster.Region);
        var arn = request.Arn ?? (await client.GetClusterAsync(cluster.Identifier, cancellationToken)).Arn;
        if (request.Tags.Count > 0)
        {
            await client.TagResourceAsync(new TagResourceRequest { ResourceArn = arn, Tags = request.Tags }, cancellationToken);
        }

        if (request.UntagKeys.Count > 0)
        {
            await client.UntagResourceAsync(new UntagResourceRequest { ResourceArn = arn, TagKeys = request.UntagKeys }, cancellationToken);
        }

        _logger.TagsUpdated(request.Tags.Count, request.UntagKeys.Count);
        return new UpdateClusterTagsOutput { Region = cluster.Region, Identifier = cluster.Identifier, Arn = arn, Tagged = request.Tags, Untagged = request.UntagKeys };
    }
}
