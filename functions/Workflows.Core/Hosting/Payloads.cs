using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Workflows.Core.Errors;

namespace Workflows.Core.Hosting;

/// <summary>
/// Reads and writes step payloads with the source-generated contracts. Every way a payload can be malformed
/// (not JSON, wrong type, unknown or duplicate member) becomes an <see cref="InvalidRequestException"/> that
/// names the member, so the state machine's Catch sees one error name for "bad input".
/// </summary>
public static partial class Payloads
{
    public static T Read<T>(string json, JsonTypeInfo<T> type)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(type);
        try
        {
            return JsonSerializer.Deserialize(json, type) ?? throw new InvalidRequestException("input", "must be a JSON object, not null");
        }
        catch (JsonException e)
        {
            throw Explain(e);
        }
    }

    public static async Task<T> ReadAsync<T>(Stream stream, JsonTypeInfo<T> type, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(type);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken)
                ?? throw new InvalidRequestException("input", "must be a JSON object, not null");
        }
        catch (JsonException e)
        {
            throw Explain(e);
        }
    }

    public static MemoryStream Write<T>(T value, JsonTypeInfo<T> type)
    {
        var output = new MemoryStream();
        JsonSerializer.Serialize(output, value, type);
        output.Position = 0;
        return output;
    }

    public static string WriteText<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    [GeneratedRegex("could not be mapped to any \\.NET member", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownMember();

    [GeneratedRegex("The JSON property '(?<name>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex PropertyName();

    [GeneratedRegex("could not be converted to (?<type>[^ .]+(\\.[^ .]+)*)\\.", RegexOptions.CultureInvariant)]
    private static partial Regex Conversion();

    [GeneratedRegex("[Dd]uplicate", RegexOptions.CultureInvariant)]
    private static partial Regex Duplicate();

    internal static InvalidRequestException Explain(JsonException e)
    {
        var message = e.Message;
        var field = FieldOf(e.Path);
        if (UnknownMember().IsMatch(message))
        {
            var name = PropertyName().Match(message) is { Success: true } m ? m.Groups["name"].Value : null;
            // Depending on the reader's position the path ends at the member or at its parent object.
            var full = name is null || field.EndsWith(name, StringComparison.Ordinal) ? field : Join(field, name);
            return new InvalidRequestException(full, "is not a known field", e);
        }

        if (Duplicate().IsMatch(message))
        {
            return new InvalidRequestException(field, "appears more than once", e);
        }

        if (e.InnerException is null && e.Path is not null && Conversion().Match(message) is { Success: true } conversion)
        {
            return new InvalidRequestException(field, $"must be {Describe(conversion.Groups["type"].Value)}", e);
        }

        if (e.Path is null || e.LineNumber is null || message.Contains("LineNumber", StringComparison.Ordinal) is false)
        {
            // Our own converters' messages are the rule itself.
            return new InvalidRequestException(field, Trim(message), e);
        }

        return new InvalidRequestException(field, $"is not valid JSON ({Trim(message)})", e);
    }

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "input";
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    private static string Join(string parent, string name) => parent == "input" ? name : $"{parent}.{name}";

    private static string Describe(string type) => type switch
    {
        "System.String" => "a string",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" => "true or false",
        "System.Int32" or "System.Nullable`1[System.Int32]" => "a whole number",
        _ when type.Contains("Dictionary", StringComparison.Ordinal) => "an object of string values",
        _ when type.Contains("List", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => "an array",
        _ when type.Contains("Workflows.Core", StringComparison.Ordinal) => "a JSON object",
        _ => $"a {type}",
    };

    // JsonException messages end with " Path: $.x | LineNumber: 0 | BytePositionInLine: 5."; the field is said already.
    private static string Trim(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut >= 0 ? message[..cut] : message;
        var line = text.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return new StringBuilder(line >= 0 ? text[..line] : text).ToString().TrimEnd(' ', '.', '|');
    }
}
