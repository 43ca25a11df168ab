using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workflows.EventBridge.Targets;

/// <summary>What an input template may name besides its own variables (the documented predefined variables).</summary>
public sealed record TransformContext(string RuleArn, string RuleName, DateTimeOffset IngestionTime);

/// <summary>
/// A target's InputTransformer (docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html):
/// InputPathsMap names values of the event, and InputTemplate uses them as &lt;name&gt;. Inside a JSON string of the
/// template a value goes in as its text, unescaped ("EventBridge doesn't escape values extracted by Input Path");
/// elsewhere it goes in as JSON, so a string gains its quotes. The predefined aws.events.* variables are there too.
/// </summary>
public sealed partial class InputTransformer
{
    public const int MaxVariables = 100;
    public const int MaxTemplateLength = 8192;

    private static readonly string[] Predefined =
    [
        "aws.events.rule-arn", "aws.events.rule-name", "aws.events.event.ingestion-time", "aws.events.event", "aws.events.event.json",
    ];

    private readonly Dictionary<string, EventPath> _paths;

    /// <exception cref="FormatException">A field breaks a rule; the message names it.</exception>
    public InputTransformer(IReadOnlyDictionary<string, string>? inputPathsMap, string inputTemplate)
    {
        if (string.IsNullOrEmpty(inputTemplate))
        {
            throw new FormatException("InputTransformer.InputTemplate: required, 1 to 8192 characters");
        }

        if (inputTemplate.Length > MaxTemplateLength)
        {
            throw new FormatException($"InputTransformer.InputTemplate: {inputTemplate.Length} characters, over the limit of {MaxTemplateLength}");
        }

        inputPathsMap ??= new Dictionary<string, string>();
        if (inputPathsMap.Count > MaxVariables)
        {
            throw new FormatException($"InputTransformer.InputPathsMap: {inputPathsMap.Count} variables, over the limit of {MaxVariables}");
        }

        _paths = new Dictionary<string, EventPath>(StringComparer.Ordinal);
        foreach (var (name, path) in inputPathsMap)
        {
            if (Predefined.Contains(name, StringComparer.Ordinal))
            {
                throw new FormatException($"InputTransformer.InputPathsMap.{name}: the name is reserved for a predefined variable");
            }

            if (!VariableName().IsMatch(name))
            {
                throw new FormatException($"InputTransformer.InputPathsMap: the name '{name}' must be 1 to 256 of A-Z, a-z, 0-9, '_' and '-'");
            }

            if (path is null || path.Length > 256)
            {
                throw new FormatException($"InputTransformer.InputPathsMap.{name}: a JSON path of at most 256 characters is required");
            }

            _paths[name] = EventPath.Parse(path, $"InputTransformer.InputPathsMap.{name}");
        }

        InputPathsMap = inputPathsMap.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        InputTemplate = inputTemplate;
    }

    public IReadOnlyDictionary<string, string> InputPathsMap { get; }

    public string InputTemplate { get; }

    /// <summary>The target's input text for <paramref name="evt"/>.</summary>
    public string Transform(JsonObject evt, TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(context);
        var template = InputTemplate;
        var sb = new StringBuilder(template.Length);
        var inString = false;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (inString && c == '\\' && i + 1 < template.Length)
            {
                sb.Append(c).Append(template[++i]);
                continue;
            }

            if (c == '"')
            {
                inString = !inString;
                sb.Append(c);
                continue;
            }

            if (c == '<')
            {
                var close = template.IndexOf('>', i + 1);
                if (close > i + 1 && TryValue(template[(i + 1)..close], evt, context, out var value))
                {
                    sb.Append(Render(value, inString));
                    i = close;
                    continue;
                }
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private bool TryValue(string name, JsonObject evt, TransformContext context, out JsonNode? value)
    {
        value = null;
        switch (name)
        {
            case "aws.events.rule-arn":
                value = JsonValue.Create(context.RuleArn);
                return true;
            case "aws.events.rule-name":
                value = JsonValue.Create(context.RuleName);
                return true;
            case "aws.events.event.ingestion-time":
                value = JsonValue.Create(context.IngestionTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
                return true;
            case "aws.events.event":
                // "The original event payload as JSON (without the detail field)".
                var copy = evt.DeepClone().AsObject();
                copy.Remove("detail");
                value = copy;
                return true;
            case "aws.events.event.json":
                value = evt.DeepClone();
                return true;
        }

        if (!_paths.TryGetValue(name, out var path))
        {
            // Not a variable: the text stays as written ("<" in a message, say).
            return false;
        }

        // "If you specify a variable to match a JSON path that doesn't exist in the event, that variable isn't
        // created and won't appear in the output": it renders as nothing inside a string and, Inferred, as null
        // elsewhere so that a JSON template stays JSON.
        value = path.Select(evt, out var found)?.DeepClone();
        if (!found)
        {
            value = Missing;
        }

        return true;
    }

    private static readonly JsonNode Missing = JsonValue.Create("\u0000missing")!;

    private static string Render(JsonNode? value, bool inString)
    {
        if (ReferenceEquals(value, Missing))
        {
            return inString ? string.Empty : "null";
        }

        if (inString && value is JsonValue v && v.TryGetValue<string>(out var s))
        {
            return s;
        }

        return value?.ToJsonString(JsonText.Options) ?? "null";
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex VariableName();
}
