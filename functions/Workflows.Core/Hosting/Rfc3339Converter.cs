using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workflows.Core.Hosting;

/// <summary>
/// Timestamps in step payloads are RFC 3339 strings (<c>$$.Execution.StartTime</c> is one); written in UTC
/// with a <c>Z</c>, fractions only when there are any.
/// </summary>
public sealed class Rfc3339Converter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String
            && reader.GetString() is { Length: >= 20 } text
            && text[10] is 'T' or 't'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var parsed)
            && HasOffset(text))
        {
            return parsed.ToUniversalTime();
        }

        throw new JsonException("must be an RFC 3339 timestamp such as 2026-11-26T08:00:00Z");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
    }

    public static string ToText(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    // RFC 3339 requires the offset; a bare local time would be read in whatever zone the Lambda runs in.
    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}
