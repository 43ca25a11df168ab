using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using DsqlLocal.Wire;

namespace DsqlLocal.Http;

/// <summary>
/// Renders an error the way AWS rest-json services do: the shape name in x-amzn-ErrorType and in the body's
/// __type, the shape's members in the body, and Retry-After as a header.
/// </summary>
internal static class ErrorWriter
{
    public static async Task WriteAsync(HttpContext context, DsqlApiException error)
    {
        var response = context.Response;
        response.StatusCode = (int)error.StatusCode;
        response.ContentType = "application/json";
        response.Headers["x-amzn-ErrorType"] = error.ErrorType;
        if (error.RetryAfterSeconds is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        }

        var body = new WireErrorBody
        {
            Type = error.ErrorType,
            Message = error.Message,
            Reason = error.Reason,
            FieldList = error.FieldList,
            ResourceId = error.ResourceId,
            ResourceType = error.ResourceType,
            ServiceCode = error.ServiceCode,
            QuotaCode = error.QuotaCode,
        };
        await response.WriteAsync(JsonSerializer.Serialize(body, WireJson.Context.WireErrorBody));
    }
}
