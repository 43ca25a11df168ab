using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record DeleteClusterInput
{
    public string? ExecutionName { get; init; }

    public string? StateMachineArn { get; init; }

    /// <summary>The request's idempotencyKey: when set it, not the execution name, identifies the run (tokens, tag).</summary>
    public string? IdempotencyKey { get; init; }

    public string? Region { get; init; }

    public string? Identifier { get; init; }
}

public sealed record DeleteClusterOutput
{
    public required string Region { get; init; }

    public required string Identifier { get; init; }

    public string? Arn { get; init; }

    public string? Status { get; init; }

    /// <summary>The cluster was gone or already being deleted before this call.</summary>
    public required bool AlreadyDeleted { get; init; }

    /// <summary>
    /// DELETED: the cluster existed and is being deleted (by this call or an earlier one); NOT_FOUND: there was
    /// no such cluster to delete. Teardown reports this per cluster.
    /// </summary>
    public required string Outcome { get; init; }
}

public static class DeleteOutcome
{
    public const string Deleted = "DELETED";
    public const string NotFound = "NOT_FOUND";
}

public sealed record DeleteClusterCommand(string ExecutionName, string? StateMachineArn, ClusterRef Cluster, string? IdempotencyKey = null)
{
    public string RunId => ExecutionTags.RunId(ExecutionName, IdempotencyKey);
}

/// <summary>
/// Deletes one cluster. A cluster already gone or already being deleted is success; a protected one is
/// refused with <see cref="DeletionProtectionEnabledException"/>.
/// </summary>
public sealed class DeleteClusterStep : IStep<DeleteClusterInput, DeleteClusterOutput>
{
    public const string Name = "DeleteCluster";

    private readonly IDsqlClientFactory _clients;
    private readonly ILogger _logger;

    public DeleteClusterStep(IDsqlClientFactory clients, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(logger);
        _clients = clients;
        _logger = logger;
    }

    public static DeleteClusterCommand Validate(DeleteClusterInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new DeleteClusterCommand(
            RequestRules.ExecutionNameOf(input.ExecutionName, "executionName"),
            RequestRules.StateMachineArnOf(input.StateMachineArn, "stateMachineArn"),
            new ClusterRef(RequestRules.Region(input.Region, "region"), RequestRules.ClusterIdentifier(input.Identifier, "identifier")),
            RequestRules.IdempotencyKeyOf(input.IdempotencyKey, "idempotencyKey"));
    }

    public async Task<DeleteClusterOutput> RunAsync(DeleteClusterInput input, CancellationToken cancellationToken = default)
    {
        var request = Validate(input);
        var cluster = request.Cluster;
        using var scope = _logger.ClusterScope(request.ExecutionName, cluster.Region, cluster.Identifier);
        var client = _clients.ForRegion(cluster.Region);
        try
        {
            var deleted = await client.DeleteClusterAsync(
                new Dsql.DeleteClusterRequest
                {
                    Identifier = cluster.Identifier,
                    ClientToken = ClientTokens.Derive(request.RunId, request.StateMachineArn, Name, $"{cluster.Region}/{cluster.Identifier}"),
                },
                cancellationToken);
            _logger.Deleting(deleted.Status);
            return new DeleteClusterOutput { Region = cluster.Region, Identifier = cluster.Identifier, Arn = deleted.Arn, Status = deleted.Status, AlreadyDeleted = false, Outcome = DeleteOutcome.Deleted };
        }
        catch (ResourceNotFoundException)
        {
            _logger.AlreadyGone();
            return new DeleteClusterOutput { Region = cluster.Region, Identifier = cluster.Identifier, AlreadyDeleted = true, Outcome = DeleteOutcome.NotFound };
        }
        catch (ValidationException e) when (e.Reason == ValidationExceptionReason.DeletionProtectionEnabled)
        {
            throw new DeletionProtectionEnabledException(cluster.Region, cluster.Identifier, e);
        }
        catch (ConflictException)
        {
            // A second delete of a cluster already on its way out conflicts: the first one did the job.
            GetClusterResponse current;
            try
            {
                current = await client.GetClusterAsync(cluster.Identifier, cancellationToken);
            }
            catch (ResourceNotFoundException)
            {
                // It was there a moment ago (the delete conflicted) and has finished going.
                return new DeleteClusterOutput { Region = cluster.Region, Identifier = cluster.Identifier, AlreadyDeleted = true, Outcome = DeleteOutcome.Deleted };
            }

            if (!ClusterStatusSets.IsBeingDeleted(current.Status))
            {
                throw;
            }

            _logger.AlreadyLeaving(current.Status);
            return new DeleteClusterOutput { Region = cluster.Region, Identifier = cluster.Identifier, Arn = current.Arn, Status = current.Status, AlreadyDeleted = true, Outcome = DeleteOutcome.Deleted };
        }
    }
}
