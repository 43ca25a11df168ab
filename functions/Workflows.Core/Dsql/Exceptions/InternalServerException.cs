using System.Net;

namespace Workflows.Core.Dsql.Exceptions;

/// <summary>HTTP 500, a fault on the service's side; retryable, optionally with Retry-After.</summary>
public sealed class InternalServerException : DsqlServiceException
{
    public InternalServerException(string message, TimeSpan? retryAfter, string? requestId = null)
        : base(nameof(InternalServerException), message, HttpStatusCode.InternalServerError, requestId)
    {
        RetryAfter = retryAfter;
    }

    public TimeSpan? RetryAfter { get; }

    public override bool IsRetryable => true;
}
