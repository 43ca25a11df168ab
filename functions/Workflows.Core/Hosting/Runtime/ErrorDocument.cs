using System.Text.Json.Serialization;

namespace Workflows.Core.Hosting.Runtime;

/// <summary>
/// The body the Runtime API takes for an invocation or init error, <c>{errorType, errorMessage, stackTrace}</c>.
/// Lambda hands it to the invoker as the response payload, and Step Functions reports errorType as the state's
/// Error and the whole document as its Cause; so errorType is the exception's short type name, the name the
/// state machines' Retry and Catch match. An inner exception goes under <c>cause</c>, as the .NET runtime client does.
/// </summary>
public sealed record ErrorDocument
{
    [JsonPropertyName("errorType")]
    public required string ErrorType { get; init; }

    [JsonPropertyName("errorMessage")]
    public required string ErrorMessage { get; init; }

    [JsonPropertyName("stackTrace")]
    public IReadOnlyList<string> StackTrace { get; init; } = [];

    [JsonPropertyName("cause")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ErrorDocument? Cause { get; init; }

    /// <summary>The document for <paramref name="exception"/>: its short type name, message, trace and inner exception.</summary>
    public static ErrorDocument From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return new ErrorDocument
        {
            ErrorType = exception.GetType().Name,
            ErrorMessage = exception.Message,
            StackTrace = Lines(exception.StackTrace),
            Cause = exception.InnerException is { } inner ? From(inner) : null,
        };
    }

    private static string[] Lines(string? trace) =>
        trace is null ? [] : [.. trace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

[JsonSerializable(typeof(ErrorDocument))]
[JsonSourceGenerationOptions(WriteIndented = false)]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
