using System.Globalization;
using System.Text.Json.Nodes;

namespace Workflows.EventBridge.Targets;

/// <summary>
/// The JSON paths of InputPath and InputPathsMap: <c>$</c>, then <c>.name</c> (names may hold '-', as in
/// <c>$.detail.instance-id</c>), <c>[index]</c> ("You can also use brackets and indices to get items from arrays") and,
/// Inferred, <c>['name']</c> for names with dots. Filters, wildcards and slices are refused: EventBridge's examples never
/// use them and a target's input should name one value.
/// </summary>
public sealed class EventPath
{
    private readonly IReadOnlyList<object> _steps; // string names and int indices

    private EventPath(string text, IReadOnlyList<object> steps)
    {
        Text = text;
        _steps = steps;
    }

    public string Text { get; }

    /// <param name="text">The path.</param>
    /// <param name="field">Named in the error, e.g. <c>InputPath</c> or <c>InputPathsMap.instance</c>.</param>
    /// <exception cref="FormatException">Not a path of this form.</exception>
    public static EventPath Parse(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith('$'))
        {
            throw new FormatException($"{field}: the JSON path '{text}' must start with '$'");
        }

        var steps = new List<object>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var end = i + 1;
                while (end < text.Length && text[end] is not ('.' or '['))
                {
                    end++;
                }

                var name = text[(i + 1)..end];
                if (name.Length == 0 || name == "*")
                {
                    throw new FormatException($"{field}: the JSON path '{text}' has an empty or wildcard name at position {i + 1}");
                }

                steps.Add(name);
                i = end;
            }
            else if (text[i] == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    throw new FormatException($"{field}: the JSON path '{text}' has an unclosed '[' at position {i + 1}");
                }

                var inner = text[(i + 1)..close];
                if (inner.Length >= 2 && (inner[0] is '\'' or '"') && inner[^1] == inner[0])
                {
                    steps.Add(inner[1..^1]);
                }
                else if (int.TryParse(inner, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    steps.Add(index);
                }
                else
                {
                    throw new FormatException($"{field}: the JSON path '{text}' has '[{inner}]': only an array index or a quoted name is supported");
                }

                i = close + 1;
            }
            else
            {
                throw new FormatException($"{field}: the JSON path '{text}' has '{text[i]}' at position {i + 1} where '.' or '[' was expected");
            }
        }

        return new EventPath(text, steps);
    }

    /// <summary>The value at the path; <paramref name="found"/> is false when a step is missing (null is a found value).</summary>
    public JsonNode? Select(JsonNode? root, out bool found)
    {
        var current = root;
        foreach (var step in _steps)
        {
            switch (step)
            {
                case string name when current is JsonObject obj && obj.TryGetPropertyValue(name, out var child):
                    current = child;
                    break;
                case int index when current is JsonArray array && index < array.Count:
                    current = array[index];
                    break;
                default:
                    found = false;
                    return null;
            }
        }

        found = true;
        return current;
    }

    public override string ToString() => Text;
}
