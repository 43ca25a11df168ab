using System.Net;

namespace Workflows.Core.Dsql.Exceptions;

/// <summary>HTTP 403 from IAM authorisation (for example a missing dsql:AddPeerCluster). Never retried.</summary>
public sealed class AccessDeniedException : DsqlServiceException
{
    public AccessDeniedException(string message, string? requestId)
        : base(nameof(AccessDeniedException), message, HttpStatusCode.Forbidden, requestId)
    {
    }

    public override bool IsRetryable => false;
}
