using System.Net;
using DsqlLocal.Wire;

namespace DsqlLocal.Http;

/// <summary>
/// An error answer in the DSQL wire format. Handlers throw it from wherever the problem is found so that
/// deep validation does not have to thread result objects back up; <see cref="ErrorWriter"/> renders it.
/// </summary>
internal sealed class DsqlApiException : Exception
{
    public DsqlApiException()
        : this(HttpStatusCode.InternalServerError, "InternalServerException", "Internal error")
    {
    }

    public DsqlApiException(string message)
        : this(HttpStatusCode.InternalServerError, "InternalServerException", message)
    {
    }

    public DsqlApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = HttpStatusCode.InternalServerError;
        ErrorType = "InternalServerException";
    }

    public DsqlApiException(HttpStatusCode statusCode, string errorType, string message)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorType = errorType;
    }

    public HttpStatusCode StatusCode { get; }

    public string ErrorType { get; }

    public string? Reason { get; init; }

    public IReadOnlyList<WireValidationField>? FieldList { get; init; }

    public string? ResourceId { get; init; }

    public string? ResourceType { get; init; }

    public string? ServiceCode { get; init; }

    public string? QuotaCode { get; init; }

    public int? RetryAfterSeconds { get; init; }
}
