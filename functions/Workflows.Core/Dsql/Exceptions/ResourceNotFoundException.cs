using System.Net;

namespace Workflows.Core.Dsql.Exceptions;

/// <summary>HTTP 404. GetCluster answers this once a cluster is gone: the ClusterNotExists waiter's success.</summary>
public sealed class ResourceNotFoundException : DsqlServiceException
{
    public ResourceNotFoundException(string message, string? resourceId, string? resourceType, string? requestId = null)
        : base(nameof(ResourceNotFoundException), message, HttpStatusCode.NotFound, requestId)
    {
        ResourceId = resourceId;
        ResourceType = resourceType;
    }

    public string? ResourceId { get; }

    public string? ResourceType { get; }

    public override bool IsRetryable => false;
}
