using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Intrinsics;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Definition;

/// <summary>Reads typed fields out of a state's JSON, collecting every problem instead of stopping at the first.</summary>
internal sealed class DefinitionReader
{
    private readonly List<AslProblem> _problems = [];

    public IReadOnlyList<AslProblem> Problems => _problems;

    public string? CurrentState { get; set; }

    /// <summary>The machine's top-level QueryLanguage is JSONata: the default of every state without its own.</summary>
    public bool DefaultJsonata { get; set; }

    /// <summary>The state being loaded uses JSONata (set by State.Load before its constructor runs).</summary>
    public bool Jsonata { get; set; }

    public void Problem(string? field, string message) => _problems.Add(new AslProblem(CurrentState, field, message));

    /// <summary>Refuses fields the engine does not know or does not support, by name.</summary>
    public void CheckFields(JsonObject o, IReadOnlyCollection<string> allowed, IReadOnlyDictionary<string, string>? unsupported = null)
    {
        foreach (var (key, _) in o)
        {
            if (unsupported is not null && unsupported.TryGetValue(key, out var why))
            {
                Problem(key, $"not supported by this engine ({why})");
            }
            else if (!allowed.Contains(key))
            {
                Problem(key, "unknown or not allowed here");
            }
        }
    }

    public string? String(JsonObject o, string field, bool required = false)
    {
        if (!o.TryGetPropertyValue(field, out var v))
        {
            if (required)
            {
                Problem(field, "is required");
            }

            return null;
        }

        if (JsonValues.TryGetString(v, out var s))
        {
            return s;
        }

        Problem(field, "must be a string");
        return null;
    }

    public int? Integer(JsonObject o, string field, int min)
    {
        if (!o.TryGetPropertyValue(field, out var v))
        {
            return null;
        }

        if (JsonValues.TryGetNumber(v, out var d) && d == decimal.Truncate(d) && d >= min && d <= int.MaxValue)
        {
            return (int)d;
        }

        Problem(field, string.Create(CultureInfo.InvariantCulture, $"must be an integer >= {min}"));
        return null;
    }

    public decimal? Number(JsonObject o, string field, decimal min)
    {
        if (!o.TryGetPropertyValue(field, out var v))
        {
            return null;
        }

        if (JsonValues.TryGetNumber(v, out var d) && d >= min)
        {
            return d;
        }

        Problem(field, string.Create(CultureInfo.InvariantCulture, $"must be a number >= {min}"));
        return null;
    }

    public bool? Boolean(JsonObject o, string field)
    {
        if (!o.TryGetPropertyValue(field, out var v))
        {
            return null;
        }

        if (JsonValues.TryGetBoolean(v, out var b))
        {
            return b;
        }

        Problem(field, "must be a boolean");
        return null;
    }

    public JsonPath? Path(JsonObject o, string field, bool reference = false, bool allowContext = true)
    {
        var text = String(o, field);
        return text is null ? null : ParsePath(text, field, reference, allowContext);
    }

    public JsonPath? ParsePath(string text, string field, bool reference = false, bool allowContext = true)
    {
        if (!JsonPath.TryParse(text, out var path, out var problem))
        {
            Problem(field, problem!);
            return null;
        }

        if (reference && !path!.IsReferencePath)
        {
            Problem(field, $"'{text}' must be a reference path (only .field and [index], no wildcards, filters or '$$')");
            return null;
        }

        if (!allowContext && path!.IsContext)
        {
            Problem(field, $"'{text}' may not read the context object");
            return null;
        }

        return path;
    }

    /// <summary>InputPath/OutputPath: absent → identity, null → {}.</summary>
    public OptionalPath OptionalPath(JsonObject o, string field)
    {
        if (!o.TryGetPropertyValue(field, out var v))
        {
            return Definition.OptionalPath.Identity;
        }

        if (v is null)
        {
            return new OptionalPath(null, true);
        }

        var path = Path(o, field);
        return path is null ? Definition.OptionalPath.Identity : new OptionalPath(path, false);
    }

    /// <summary>ResultPath: absent → <c>$</c>, null → discard the result.</summary>
    public (JsonPath? Path, bool Discard) ResultPath(JsonObject o, string field = "ResultPath")
    {
        if (!o.TryGetPropertyValue(field, out var v))
        {
            return (JsonPath.Parse("$"), false);
        }

        if (v is null)
        {
            return (null, true);
        }

        var path = Path(o, field, reference: true);
        if (path?.Variable is not null)
        {
            // ResultPath writes into the state's input: a variable is not a place it can write (Assign is).
            Problem(field, $"'{path.Text}' must be a path on the state input, not a variable");
            path = null;
        }

        return (path ?? JsonPath.Parse("$"), false);
    }

    public PayloadTemplate? Template(JsonObject o, string field)
    {
        if (!o.TryGetPropertyValue(field, out var v))
        {
            return null;
        }

        if (v is not JsonObject && field != "Parameters")
        {
            Problem(field, "must be an object");
            return null;
        }

        try
        {
            return PayloadTemplate.Compile(v);
        }
        catch (FormatException e)
        {
            Problem(field, e.Message);
            return null;
        }
    }

    /// <summary>An Assign field (state, Choice rule or catcher); null when absent.</summary>
    public AssignTemplate? Assign(JsonObject o, string field = "Assign")
    {
        // A JSONata state's Assign holds expressions, read by JsonataAssign instead.
        if (Jsonata || !o.TryGetPropertyValue("Assign", out var v))
        {
            return null;
        }

        if (v is not JsonObject assign)
        {
            Problem(field, "must be an object of variable names and values");
            return null;
        }

        try
        {
            var template = AssignTemplate.Compile(assign);
            foreach (var problem in template.NameProblems)
            {
                Problem(field, problem);
            }

            return template;
        }
        catch (FormatException e)
        {
            Problem(field, e.Message);
            return null;
        }
    }

    /// <summary>A JSONata field value (any JSON, <c>{% %}</c> strings evaluated); null when absent.</summary>
    public Engine.Jsonata.JsonataTemplate? JsonataField(JsonObject o, string field, string? errorField = null)
    {
        if (!o.TryGetPropertyValue(field, out var v))
        {
            return null;
        }

        try
        {
            return Engine.Jsonata.JsonataTemplate.Compile(v, errorField ?? field);
        }
        catch (FormatException e)
        {
            Problem(field, e.Message);
            return null;
        }
    }

    /// <summary>A JSONata state's (or catcher's) Assign; null when absent.</summary>
    public Engine.Jsonata.JsonataAssign? JsonataAssign(JsonObject o, string field = "Assign")
    {
        if (!o.TryGetPropertyValue("Assign", out var v))
        {
            return null;
        }

        if (v is not JsonObject assign)
        {
            Problem(field, "must be an object of variable names and values");
            return null;
        }

        foreach (var (key, _) in assign)
        {
            if (AssignTemplate.NameProblem(key) is { } problem)
            {
                Problem(field, problem);
            }
        }

        try
        {
            return new Engine.Jsonata.JsonataAssign(Engine.Jsonata.JsonataTemplate.Compile(assign, "Assign"));
        }
        catch (FormatException e)
        {
            Problem(field, e.Message);
            return null;
        }
    }

    /// <summary>
    /// A JSONata state's number field (TimeoutSeconds, MaxConcurrency, Seconds...): a number, checked now, or a
    /// <c>{% %}</c> string evaluated at run time.
    /// </summary>
    public Engine.Jsonata.JsonataTemplate? JsonataNumber(JsonObject o, string field, decimal min)
    {
        if (!o.TryGetPropertyValue(field, out var v))
        {
            return null;
        }

        if (JsonValues.TryGetString(v, out var s) && Engine.Jsonata.JsonataTemplate.IsExpression(s))
        {
            return JsonataField(o, field);
        }

        if (JsonValues.TryGetNumber(v, out var d) && d >= min)
        {
            return JsonataField(o, field);
        }

        Problem(field, string.Create(CultureInfo.InvariantCulture, $"must be a number >= {min} or a JSONata expression {{% ... %}}"));
        return null;
    }

    /// <summary>A string that is a path or an intrinsic (Fail's ErrorPath/CausePath).</summary>
    public object? PathOrIntrinsic(JsonObject o, string field)
    {
        var text = String(o, field);
        if (text is null)
        {
            return null;
        }

        if (IntrinsicExpression.LooksLikeIntrinsic(text))
        {
            try
            {
                return IntrinsicExpression.Parse(text);
            }
            catch (FormatException e)
            {
                Problem(field, e.Message);
                return null;
            }
        }

        return ParsePath(text, field);
    }

    public JsonArray? Array(JsonObject o, string field, bool required = false)
    {
        if (!o.TryGetPropertyValue(field, out var v))
        {
            if (required)
            {
                Problem(field, "is required");
            }

            return null;
        }

        if (v is JsonArray a)
        {
            return a;
        }

        Problem(field, "must be an array");
        return null;
    }

    public static JsonObject ParseDocument(string json)
    {
        try
        {
            return JsonValues.Parse(json) as JsonObject ?? throw new AslValidationException("The definition must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new AslValidationException($"The definition is not valid JSON at {JsonSyntax.Describe(json, e)}", e);
        }
    }
}
