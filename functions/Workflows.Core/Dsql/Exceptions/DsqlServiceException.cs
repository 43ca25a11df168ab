using System.Net;

namespace Workflows.Core.Dsql.Exceptions;

/// <summary>
/// An error the DSQL control plane answered with. Subclasses carry the model's error shapes and are named
/// exactly like them, because Lambda reports <c>GetType().Name</c> as the Step Functions error name that
/// Retry and Catch match. An error code the model does not know stays on <see cref="ErrorCode"/>.
/// </summary>
public class DsqlServiceException : Exception
{
    public DsqlServiceException(string errorCode, string message, HttpStatusCode statusCode, string? requestId = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
        RequestId = requestId;
    }

    /// <summary>The error type the service sent (x-amzn-ErrorType, __type or code), without namespace.</summary>
    public string ErrorCode { get; }

    public HttpStatusCode StatusCode { get; }

    /// <summary>x-amzn-RequestId of the failed response, when the service sent one.</summary>
    public string? RequestId { get; }

    /// <summary>
    /// Whether sending the same request again may succeed: throttling and server faults. The client's own
    /// retries use this, and the state machines' Retry blocks name the same errors.
    /// </summary>
    public virtual bool IsRetryable => (int)StatusCode >= 500 || StatusCode == HttpStatusCode.TooManyRequests;
}
