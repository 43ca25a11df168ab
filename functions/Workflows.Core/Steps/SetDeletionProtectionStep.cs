using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record SetDeletionProtectionInput
{
    public string? ExecutionName { get; init; }

    public string? StateMachineArn { get; init; }

    /// <summary>The request's idempotencyKey: when set it, not the execution name, identifies the run (tokens, tag).</summary>
    public string? IdempotencyKey { get; init; }

    public string? Region { get; init; }

    public string? Identifier { get; init; }

    public bool? Enabled { get; init; }
}

public sealed record SetDeletionProtectionOutput
{
    public required string Region { get; init; }

    public required string Identifier { get; init; }

    public string? Arn { get; init; }

    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public string? Status { get; init; }

    public bool? DeletionProtectionEnabled { get; init; }

    /// <summary>False when the cluster does not exist (only possible when turning protection off).</summary>
    public required bool Found { get; init; }
}

public sealed record SetDeletionProtectionCommand(string ExecutionName, string? StateMachineArn, ClusterRef Cluster, bool Enabled, string? IdempotencyKey = null)
{
    public string RunId => ExecutionTags.RunId(ExecutionName, IdempotencyKey);
}

/// <summary>
/// Turns deletion protection on or off. Turning it off is the first move of every clean-up, so a cluster that
/// is already gone or already being deleted counts as done.
/// </summary>
public sealed class SetDeletionProtectionStep : IStep<SetDeletionProtectionInput, SetDeletionProtectionOutput>
{
    public const string Name = "SetDeletionProtection";

    private readonly IDsqlClientFactory _clients;
    private readonly ILogger _logger;

    public SetDeletionProtectionStep(IDsqlClientFactory clients, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(logger);
        _clients = clients;
        _logger = logger;
    }

    public static SetDeletionProtectionCommand Validate(SetDeletionProtectionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new SetDeletionProtectionCommand(
            RequestRules.ExecutionNameOf(input.ExecutionName, "executionName"),
            RequestRules.StateMachineArnOf(input.StateMachineArn, "stateMachineArn"),
            new ClusterRef(RequestRules.Region(input.Region, "region"), RequestRules.ClusterIdentifier(input.Identifier, "identifier")),
            RequestRules.Required(input.Enabled, "enabled"),
            RequestRules.IdempotencyKeyOf(input.IdempotencyKey, "idempotencyKey"));
    }

    public async Task<SetDeletionProtectionOutput> RunAsync(SetDeletionProtectionInput input, CancellationToken cancellationToken = default)
    {
        var request = Validate(input);
        var cluster = request.Cluster;
        using var scope = _logger.ClusterScope(request.ExecutionName, cluster.Region, cluster.Identifier);
        var client = _clients.ForRegion(cluster.Region);
        try
        {
            var updated = await client.UpdateClusterAsync(
                new UpdateClusterRequest
                {
                    Identifier = cluster.Identifier,
                    ClientToken = ClientTokens.Derive(
                        request.RunId, request.StateMachineArn, Name, $"{cluster.Region}/{cluster.Identifier}/{(request.Enabled ? "on" : "off")}"),
                    DeletionProtectionEnabled = request.Enabled,
                },
                cancellationToken);
            _logger.ProtectionSet(request.Enabled, updated.Status);
            return new SetDeletionProtectionOutput
            {
                Region = cluster.Region,
                Identifier = cluster.Identifier,
                Arn = updated.Arn,
                Status = updated.Status,
                DeletionProtectionEnabled = request.Enabled,
                Found = true,
            };
        }
        catch (ResourceNotFoundException) when (!request.Enabled)
        {
            _logger.AlreadyGone();
            return new SetDeletionProtectionOutput { Region = cluster.Region, Identifier = cluster.Identifier, Found = false };
        }
        catch (ConflictException) when (!request.Enabled)
        {
            // DSQL refuses updates to a cluster on its way out; for a clean-up that is as good as done.
            var current = await DescribeOrNullAsync(client, cluster.Identifier, cancellationToken);
            if (current is null)
            {
                return new SetDeletionProtectionOutput { Region = cluster.Region, Identifier = cluster.Identifier, Found = false };
            }

            if (!ClusterStatusSets.IsBeingDeleted(current.Status))
            {
                throw;
            }

            _logger.AlreadyLeaving(current.Status);
            return new SetDeletionProtectionOutput
            {
                Region = cluster.Region,
                Identifier = cluster.Identifier,
                Arn = current.Arn,
                Status = current.Status,
                DeletionProtectionEnabled = current.DeletionProtectionEnabled,
                Found = true,
            };
        }
    }

    private static async Task<GetClusterResponse?> DescribeOrNullAsync(IDsqlClient client, string identifier, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetClusterAsync(identifier, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            return null;
        }
    }
}
