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

    public InternalServerException()
        : this("An internal error occurred.", retryAfter: null)
    {
    }

    public InternalServerException(string message)
        : this(message, retryAfter: null)
    {
    }

    public InternalServerException(string message, Exception innerException)
        : base(nameof(InternalServerException), message, HttpStatusCode.InternalServerError, null, innerException)
    {
    }

    public TimeSpan? RetryAfter { get; }

    public override bool IsRetryable => true;
}
