using System.Net;

namespace Workflows.Core.Dsql.Exceptions;

/// <summary>HTTP 409: the cluster is in a state that does not allow the operation, or a clientToken was reused
/// with a different request.</summary>
public sealed class ConflictException : DsqlServiceException
{
    public ConflictException(string message, string? resourceId, string? resourceType, string? requestId = null)
        : base(nameof(ConflictException), message, HttpStatusCode.Conflict, requestId)
    {
        ResourceId = resourceId;
        ResourceType = resourceType;
    }

    public string? ResourceId { get; }

    public string? ResourceType { get; }

    public override bool IsRetryable => false;
}
