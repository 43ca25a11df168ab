using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.EventBridge.Patterns;

/// <summary>
/// An EventBridge event pattern, validated when parsed and matched with the documented semantics of content filtering
/// (docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html, with
/// eb-event-patterns.html, eb-event-patterns-arrays.html and eb-event-patterns-null-values.html):
/// fields are ANDed, the values in a field's array are ORed, a field of the event that is an array matches when any of
/// its elements does, <c>$or</c> ORs whole sub-patterns, and the fields of the event a pattern does not name are ignored.
/// </summary>
public sealed class EventPattern
{
    private readonly PatternObject _root;

    private EventPattern(string text, PatternObject root, int combinations)
    {
        Text = text;
        _root = root;
        Combinations = combinations;
    }

    /// <summary>The pattern as given.</summary>
    public string Text { get; }

    /// <summary>How many rule combinations its <c>$or</c>s make (1 without any).</summary>
    public int Combinations { get; }

    /// <exception cref="InvalidEventPatternException">Not JSON, or not a pattern EventBridge accepts; the message names the path.</exception>
    public static EventPattern Parse(string json, string? ruleName = null, EventPatternOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            // Duplicate keys are read in order and the last one wins, as the documentation says of patterns.
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new InvalidEventPatternException($"the pattern is not valid JSON ({e.Message})", string.Empty, ruleName, e);
        }

        using (document)
        {
            var parser = new PatternParser(options ?? EventPatternOptions.Default, ruleName);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidEventPatternException("Filter is not an object", string.Empty, ruleName);
            }

            var root = parser.ParseObject(document.RootElement, string.Empty, 0);
            var combinations = root.Combinations();
            var max = (options ?? EventPatternOptions.Default).MaxOrCombinations;
            if (combinations > max)
            {
                throw new InvalidEventPatternException(
                    $"the $or in the pattern make {combinations} rule combinations, over the limit of {max}", string.Empty, ruleName);
            }

            return new EventPattern(json, root, (int)combinations);
        }
    }

    public static bool TryParse(string json, out EventPattern? pattern, out InvalidEventPatternException? error)
    {
        try
        {
            pattern = Parse(json);
            error = null;
            return true;
        }
        catch (InvalidEventPatternException e)
        {
            pattern = null;
            error = e;
            return false;
        }
    }

    /// <exception cref="FormatException">The event is not JSON.</exception>
    public bool Matches(string eventJson)
    {
        ArgumentNullException.ThrowIfNull(eventJson);
        try
        {
            using var document = JsonDocument.Parse(eventJson);
            return Matches(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new FormatException($"event: not valid JSON ({e.Message})", e);
        }
    }

    public bool Matches(JsonNode? evt)
    {
        using var document = JsonDocument.Parse(evt?.ToJsonString() ?? "null");
        return Matches(document.RootElement);
    }

    public bool Matches(JsonElement evt) => _root.Matches(evt.ValueKind == JsonValueKind.Object ? evt : null);

    public override string ToString() => Text;
}

/// <summary>An object level of a pattern: its fields (ANDed) and its <c>$or</c> groups (each ORs whole sub-patterns).</summary>
internal sealed class PatternObject
{
    public Dictionary<string, PatternField> Fields { get; } = new(StringComparer.Ordinal);

    public List<IReadOnlyList<PatternObject>> OrGroups { get; } = [];

    public long Combinations()
    {
        long total = 1;
        foreach (var field in Fields.Values)
        {
            if (field.Nested is { } nested)
            {
                total = Saturate(total * nested.Combinations());
            }
        }

        foreach (var group in OrGroups)
        {
            long sum = 0;
            foreach (var alternative in group)
            {
                sum = Saturate(sum + alternative.Combinations());
            }

            total = Saturate(total * sum);
        }

        return total;
    }

    /// <param name="element">The event's value at this level; null when absent.</param>
    public bool Matches(JsonElement? element)
    {
        if (element is { ValueKind: JsonValueKind.Array } array)
        {
            // An array of objects in the event: one element has to satisfy this whole level, so that fields matched
            // together come from the same element. An empty array is as good as absent (Inferred).
            var any = false;
            foreach (var item in array.EnumerateArray())
            {
                any = true;
                if (Matches(item))
                {
                    return true;
                }
            }

            return !any && Matches(null);
        }

        foreach (var (name, field) in Fields)
        {
            JsonElement? child = element is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var value) ? value : null;
            if (!field.Matches(child))
            {
                return false;
            }
        }

        foreach (var group in OrGroups)
        {
            if (!group.Any(alternative => alternative.Matches(element)))
            {
                return false;
            }
        }

        return true;
    }

    private static long Saturate(long value) => Math.Min(value, int.MaxValue);
}

/// <summary>A field of a pattern: either a nested object or an array of leaf conditions.</summary>
internal sealed class PatternField
{
    public PatternObject? Nested { get; init; }

    public List<LeafMatcher> Matchers { get; } = [];

    /// <summary>The array holds <c>{"exists": false}</c>: absence (or a non-leaf value) matches.</summary>
    public bool AllowsAbsent { get; set; }

    public bool Matches(JsonElement? value)
    {
        if (Nested is not null)
        {
            return Nested.Matches(value);
        }

        if (value is not { } present)
        {
            return AllowsAbsent;
        }

        var sawLeaf = false;
        foreach (var scalar in Leaves(present))
        {
            sawLeaf = true;
            foreach (var matcher in Matchers)
            {
                if (matcher.Matches(scalar))
                {
                    return true;
                }
            }
        }

        // "Exists matching only works on leaf nodes": an object (or an array with no scalar in it) counts as absent.
        return !sawLeaf && AllowsAbsent;
    }

    private static IEnumerable<JsonElement> Leaves(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                yield break;
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    foreach (var leaf in Leaves(item))
                    {
                        yield return leaf;
                    }
                }

                yield break;
            default:
                yield return value;
                break;
        }
    }
}
