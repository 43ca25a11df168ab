using System.Net;
using System.Text.Json;

namespace DsqlLocal.Tests.Support;

internal sealed class DsqlResponse
{
    public required HttpStatusCode Status { get; init; }

    public required HttpResponseMessage Message { get; init; }

    public required string Body { get; init; }

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string? ErrorType => Message.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.Single() : null;

    public string? Header(string name) =>
        Message.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : Message.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : null;

    public string String(string property) => Json.GetProperty(property).GetString()!;

    public override string ToString() => $"{(int)Status} {ErrorType} {Body}";
}
