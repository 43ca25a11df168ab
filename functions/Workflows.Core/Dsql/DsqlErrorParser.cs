using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Workflows.Core.Dsql.Exceptions;

namespace Workflows.Core.Dsql;

/// <summary>Turns a failed rest-json response into the exception named after the model's error shape.</summary>
internal static class DsqlErrorParser
{
    /// <summary>What a clientToken is replaced with in error messages.</summary>
    public const string RedactedClientToken = "<clientToken>";

    /// <param name="clientToken">
    /// The request's token, if it had one. DSQL quotes it in some messages (a Conflict over a reused token); the
    /// message travels on into logs and the execution's Cause, where a token does not belong, so it is cut out.
    /// </param>
    public static DsqlServiceException Parse(HttpStatusCode status, HttpResponseHeaders headers, ReadOnlySpan<byte> body, DateTimeOffset now, string? clientToken = null)
    {
        var parsed = TryReadBody(body);
        var code = CodeFromHeader(headers) ?? StripNamespace(parsed?.Type) ?? StripNamespace(parsed?.Code) ?? FallbackCode(status);
        var message = Redact(parsed?.Message ?? parsed?.MessageUpper ?? FallbackMessage(status, body), clientToken);
        var requestId = First(headers, "x-amzn-RequestId");
        var retryAfter = RetryAfter(headers, now);

        return code switch
        {
            nameof(ResourceNotFoundException) => new ResourceNotFoundException(message, parsed?.ResourceId, parsed?.ResourceType, requestId),
            nameof(ConflictException) => new ConflictException(message, parsed?.ResourceId, parsed?.ResourceType, requestId),
            nameof(ValidationException) => new ValidationException(message, parsed?.Reason ?? ValidationExceptionReason.Other, parsed?.FieldList, requestId),
            nameof(ThrottlingException) => new ThrottlingException(message, retryAfter, parsed?.ServiceCode, parsed?.QuotaCode, requestId),
            nameof(ServiceQuotaExceededException) => new ServiceQuotaExceededException(message, parsed?.ResourceId, parsed?.ResourceType, parsed?.ServiceCode, parsed?.QuotaCode, requestId),
            nameof(AccessDeniedException) => new AccessDeniedException(message, requestId),
            nameof(InternalServerException) => new InternalServerException(message, retryAfter, requestId),
            _ => new DsqlServiceException(code, message, status, requestId),
        };
    }

    private static string Redact(string message, string? clientToken) =>
        string.IsNullOrEmpty(clientToken) ? message : message.Replace(clientToken, RedactedClientToken, StringComparison.Ordinal);

    private static DsqlErrorBody? TryReadBody(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(body, DsqlJsonContext.Default.DsqlErrorBody);
        }
        catch (JsonException)
        {
            // A proxy or load balancer can answer with HTML; the status code still tells what happened.
            return null;
        }
    }

    // "ValidationException:http://internal.amazon.com/coral/..." → "ValidationException".
    private static string? CodeFromHeader(HttpResponseHeaders headers)
    {
        var value = First(headers, "x-amzn-ErrorType");
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return (colon >= 0 ? value[..colon] : value).Trim();
    }

    // "com.amazonaws.dsql#ConflictException" → "ConflictException".
    private static string? StripNamespace(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var hash = code.LastIndexOf('#');
        var name = hash >= 0 ? code[(hash + 1)..] : code;
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 ? name[..colon] : name;
    }

    private static string FallbackCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => nameof(ValidationException),
        HttpStatusCode.NotFound => nameof(ResourceNotFoundException),
        HttpStatusCode.Conflict => nameof(ConflictException),
        HttpStatusCode.TooManyRequests => nameof(ThrottlingException),
        HttpStatusCode.InternalServerError => nameof(InternalServerException),
        _ => status.ToString(),
    };

    private static string FallbackMessage(HttpStatusCode status, ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body.Length > 512 ? body[..512] : body).Trim();
        return text.Length == 0
            ? $"The service answered HTTP {(int)status} with no body."
            : $"The service answered HTTP {(int)status}: {text}";
    }

    private static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        // Some services send fractional seconds, which the typed header refuses.
        var raw = First(headers, "Retry-After");
        return raw is not null && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static string? First(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
