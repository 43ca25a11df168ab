using System.Globalization;
using System.Net;
using DsqlLocal.Wire;

namespace DsqlLocal.Http;

/// <summary>Factories for every error shape the emulator answers with, so status codes live in one place.</summary>
internal static class Errors
{
    public const string ClusterResourceType = "cluster";
    public const string ServiceCode = "dsql";

    public static DsqlApiException Validation(string reason, string message, IReadOnlyList<WireValidationField>? fields = null) =>
        new(HttpStatusCode.BadRequest, "ValidationException", message) { Reason = reason, FieldList = fields };

    /// <summary>One or more field failures, with the AWS "N validation error(s) detected" summary.</summary>
    public static DsqlApiException FieldValidation(IReadOnlyList<WireValidationField> fields)
    {
        var count = fields.Count;
        var summary = string.Create(
            CultureInfo.InvariantCulture,
            $"{count} validation error{(count == 1 ? string.Empty : "s")} detected: {string.Join("; ", fields.Select(f => f.Message))}");
        return Validation(WireValidationReason.FieldValidationFailed, summary, fields);
    }

    public static DsqlApiException Field(string name, string message) => FieldValidation([new WireValidationField(name, message)]);

    public static DsqlApiException CannotParse(string detail) =>
        Validation(WireValidationReason.CannotParse, "The request body could not be parsed: " + detail);

    public static DsqlApiException UnknownOperation(string method, string path) =>
        Validation(WireValidationReason.UnknownOperation, $"No operation matches {method} {path}.");

    public static DsqlApiException NotFound(string resourceId, string? message = null) =>
        new(HttpStatusCode.NotFound, "ResourceNotFoundException", message ?? $"Cluster {resourceId} not found.")
        {
            ResourceId = resourceId,
            ResourceType = ClusterResourceType,
        };

    /// <param name="resourceId">Null (omitted from the body) when there is no cluster to name.</param>
    public static DsqlApiException Conflict(string? resourceId, string message) =>
        new(HttpStatusCode.Conflict, "ConflictException", message) { ResourceId = resourceId, ResourceType = ClusterResourceType };

    public static DsqlApiException QuotaExceeded(string resourceId, string quotaCode, string message) =>
        new((HttpStatusCode)402, "ServiceQuotaExceededException", message)
        {
            ResourceId = resourceId,
            ResourceType = ClusterResourceType,
            ServiceCode = ServiceCode,
            QuotaCode = quotaCode,
        };

    public static DsqlApiException Throttling(int retryAfterSeconds) =>
        new(HttpStatusCode.TooManyRequests, "ThrottlingException", "Rate exceeded (injected throttling).")
        {
            ServiceCode = ServiceCode,
            QuotaCode = "injected-throttle",
            RetryAfterSeconds = retryAfterSeconds,
        };

    /// <summary>Inferred: the front end's answer to a body that never completes (no shape in the model).</summary>
    public static DsqlApiException RequestTimeout(string message) =>
        new(HttpStatusCode.RequestTimeout, "RequestTimeoutException", message);

    public static DsqlApiException Internal(string message) =>
        new(HttpStatusCode.InternalServerError, "InternalServerException", message);

    /// <summary>The model's AccessDeniedException: 403 with only a message.</summary>
    public static DsqlApiException AccessDenied(string message) =>
        new(HttpStatusCode.Forbidden, "AccessDeniedException", message);

    public static DsqlApiException Forbidden(string errorType, string message) =>
        new(HttpStatusCode.Forbidden, errorType, message);
}
