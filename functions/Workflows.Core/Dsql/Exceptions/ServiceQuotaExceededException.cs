using System.Net;

namespace Workflows.Core.Dsql.Exceptions;

/// <summary>HTTP 402: e.g. more than 5 multi-Region clusters in one Region. Retrying does not help.</summary>
public sealed class ServiceQuotaExceededException : DsqlServiceException
{
    public ServiceQuotaExceededException(string message, string? resourceId, string? resourceType, string? serviceCode, string? quotaCode, string? requestId = null)
        : base(nameof(ServiceQuotaExceededException), message, HttpStatusCode.PaymentRequired, requestId)
    {
        ResourceId = resourceId;
        ResourceType = resourceType;
        ServiceCode = serviceCode;
        QuotaCode = quotaCode;
    }

    public string? ResourceId { get; }

    public string? ResourceType { get; }

    public string? ServiceCode { get; }

    public string? QuotaCode { get; }

    public override bool IsRetryable => false;
}
