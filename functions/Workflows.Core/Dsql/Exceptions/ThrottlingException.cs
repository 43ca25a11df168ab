using System.Net;

namespace Workflows.Core.Dsql.Exceptions;

/// <summary>HTTP 429. The service may say how long to back off in the Retry-After header.</summary>
public sealed class ThrottlingException : DsqlServiceException
{
    public ThrottlingException(string message, TimeSpan? retryAfter, string? serviceCode = null, string? quotaCode = null, string? requestId = null)
        : base(nameof(ThrottlingException), message, HttpStatusCode.TooManyRequests, requestId)
    {
        RetryAfter = retryAfter;
        ServiceCode = serviceCode;
        QuotaCode = quotaCode;
    }

    public TimeSpan? RetryAfter { get; }

    public string? ServiceCode { get; }

    public string? QuotaCode { get; }

    public override bool IsRetryable => true;
}
