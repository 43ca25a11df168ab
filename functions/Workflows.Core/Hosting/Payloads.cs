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
            throw Explain(e, type);
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
            throw Explain(e, type);
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

    [GeneratedRegex("could not be converted to ", RegexOptions.CultureInvariant)]
    private static partial Regex Conversion();

    [GeneratedRegex("[Dd]uplicate", RegexOptions.CultureInvariant)]
    private static partial Regex Duplicate();

    internal static InvalidRequestException Explain(JsonException e, JsonTypeInfo root)
    {
        if (e.InnerException is JsonException syntax)
        {
            // The reader's own error: the text is not JSON at all, so no member can be blamed.
            var where = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : string.Empty;
            return new InvalidRequestException("input", $"is not valid JSON: {Trim(syntax.Message)}{where}", e);
        }

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

        if (Conversion().IsMatch(message))
        {
            // The message names the type being read, not the member's; the contract knows the member's.
            return new InvalidRequestException(field, $"must be {Describe(ExpectedType(root, e.Path))}", e);
        }

        // Our own converters' messages are the rule itself.
        return new InvalidRequestException(field, Trim(message), e);
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

    /// <summary>Follows a JSON path like <c>$.clusters[0].region</c> through the contract's metadata.</summary>
    private static Type? ExpectedType(JsonTypeInfo root, string? path)
    {
        var info = root;
        foreach (Match segment in PathSegment().Matches(path ?? "$"))
        {
            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
            Type? next = info.Kind switch
            {
                JsonTypeInfoKind.Object when !segment.Groups["index"].Success =>
                    info.Properties.FirstOrDefault(p => p.Name == name)?.PropertyType,
                JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary => info.ElementType,
                _ => null,
            };
            if (next is null)
            {
                return null;
            }

            info = root.Options.GetTypeInfo(next);
        }

        return info.Type;
    }

    [GeneratedRegex("\\.(?<name>[^.\\[]+)|\\['(?<quoted>(?:[^']|'')*)'\\]|\\[(?<index>[0-9]+)\\]", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegment();

    private static string Describe(Type? type)
    {
        var plain = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return plain switch
        {
            null => "of another type",
            _ when plain == typeof(string) => "a string",
            _ when plain == typeof(bool) => "true or false",
            _ when plain == typeof(int) || plain == typeof(long) => "a whole number",
            _ when plain == typeof(DateTimeOffset) => "an RFC 3339 timestamp such as 2026-11-26T08:00:00Z",
            _ when plain.IsAssignableTo(typeof(System.Collections.IDictionary)) => "an object of string values",
            _ when plain != typeof(string) && plain.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "an array",
            _ => "a JSON object",
        };
    }

    // JsonException messages end with " Path: $.x | LineNumber: 0 | BytePositionInLine: 5."; the field is said already.
    private static string Trim(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut >= 0 ? message[..cut] : message;
        var line = text.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return new StringBuilder(line >= 0 ? text[..line] : text).ToString().TrimEnd(' ', '.', '|');
    }
}
