using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workflows.Conformance.Tests;

/// <summary>
/// Normalizes the engine's outcome the way the corpus' snapshots were normalized (its README: regex transformers on
/// the text, jsonpath transformers on keys, account/Region/partition placeholders, skip_verify_paths) and compares
/// it with AWS's: status; output deep-equal with numbers by value; error name; cause text for States.* errors.
/// </summary>
public static partial class OutcomeComparer
{
    private const string RecordedAccount = "111111111111";
    private const string EngineAccount = "123456789012";
    private static readonly TimeSpan RegexBudget = TimeSpan.FromSeconds(1);

    /// <summary>Null when the engine agrees with AWS; otherwise one line saying where they differ.</summary>
    public static string? Compare(ConformanceCase c, EngineOutcome actual)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(actual);
        var expected = c.Expected;
        var status = (string)expected["status"]!;
        if (actual.Refused)
        {
            return $"refused: {Shorten(actual.Refusal!)}";
        }

        if (status != actual.Status)
        {
            var what = actual.Status == "SUCCEEDED"
                ? $"output {Shorten(actual.Output?.ToJsonString() ?? "null")}"
                : $"{actual.Error}: {Shorten(actual.Cause ?? "")}";
            var aws = status == "SUCCEEDED" ? "" : $" ({expected["error"]}: {Shorten((string?)expected["cause"] ?? "")})";
            return $"status: AWS {status}{aws}, engine {actual.Status} {what}";
        }

        var skipped = SkippedKeys(c);
        if (status == "SUCCEEDED")
        {
            var want = ExpectedOutput(expected);
            var got = NormalizeOutput(c, actual.Output);
            Strip(want, skipped);
            Strip(got, skipped);
            return FirstDifference("$", want, got) is { } d ? $"output {d}" : null;
        }

        var error = (string?)expected["error"] ?? "";
        if (error != (actual.Error ?? ""))
        {
            return $"error: AWS {error} ({Shorten((string?)expected["cause"] ?? "")}), engine {actual.Error} ({Shorten(actual.Cause ?? "")})";
        }

        var skipCause = c.SkipVerifyPaths.Any(p => p == "$..cause" || p.EndsWith("executionFailedEventDetails.cause", StringComparison.Ordinal));
        if (error.StartsWith("States.", StringComparison.Ordinal) && !skipCause)
        {
            var wantCause = (string?)expected["cause"] ?? "";
            var gotCause = Normalize(c, actual.Cause ?? "");
            if (!TextMatches(wantCause, gotCause))
            {
                return $"cause: AWS \"{Shorten(wantCause)}\", engine \"{Shorten(gotCause)}\"";
            }
        }

        return null;
    }

    /// <summary>AWS's output; an output recorded as raw text (output_raw_kind "str") is that JSON text.</summary>
    private static JsonNode? ExpectedOutput(JsonObject expected)
    {
        var output = expected["output"]?.DeepClone();
        if ((string?)expected["output_raw_kind"] == "str" && output is JsonValue v && v.TryGetValue<string>(out var text))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return output;
            }
        }

        return output;
    }

    private static JsonNode? NormalizeOutput(ConformanceCase c, JsonNode? output)
    {
        if (output is null)
        {
            return null;
        }

        var text = Normalize(c, output.ToJsonString());
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            node = output.DeepClone(); // a replacement broke the JSON text: compare un-normalized
        }

        foreach (var t in c.Transformers.OfType<JsonObject>().Where(t => (string?)t["kind"] == "jsonpath"))
        {
            if ((string?)t["path"] is { } path && path.StartsWith("$..", StringComparison.Ordinal))
            {
                var repl = (string?)t["repl"] ?? "";
                ReplaceKey(node, path[3..], (bool?)t["ref"] == true ? $"<{repl}:1>" : repl);
            }
        }

        return node;
    }

    /// <summary>The regex transformers in order, then the account id as the snapshots spell it.</summary>
    private static string Normalize(ConformanceCase c, string text)
    {
        foreach (var t in c.Transformers.OfType<JsonObject>().Where(t => (string?)t["kind"] == "regex"))
        {
            var pattern = (string?)t["regex"];
            var repl = (string?)t["repl"] ?? "";
            if (string.IsNullOrEmpty(pattern))
            {
                continue;
            }

            try
            {
                text = Regex.Replace(text, pattern, repl.Replace("$", "$$", StringComparison.Ordinal), RegexOptions.None, RegexBudget);
            }
            catch (ArgumentException)
            {
                text = text.Replace(pattern, repl, StringComparison.Ordinal); // not a .NET regex: a literal then
            }
        }

        return text.Replace(EngineAccount, RecordedAccount, StringComparison.Ordinal);
    }

    private static void ReplaceKey(JsonNode? node, string key, string repl)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList())
                {
                    if (name == key)
                    {
                        o[name] = repl;
                    }
                    else
                    {
                        ReplaceKey(o[name], key, repl);
                    }
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    ReplaceKey(item, key, repl);
                }

                break;
        }
    }

    /// <summary>Keys named by `$..Key` (or `$..a.Key`) skip paths: removed from both sides wherever they occur.</summary>
    private static HashSet<string> SkippedKeys(ConformanceCase c) =>
        c.SkipVerifyPaths
            .Where(p => p.StartsWith("$..", StringComparison.Ordinal) && !p.Contains("events", StringComparison.Ordinal))
            .Select(p => p[(p.LastIndexOf('.') + 1)..])
            .Where(k => k.Length > 0 && k != "cause")
            .ToHashSet(StringComparer.Ordinal);

    private static void Strip(JsonNode? node, HashSet<string> keys)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var k in keys)
                {
                    o.Remove(k);
                }

                foreach (var (_, v) in o)
                {
                    Strip(v, keys);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Strip(item, keys);
                }

                break;
        }
    }

    private static string? FirstDifference(string path, JsonNode? want, JsonNode? got)
    {
        switch (want)
        {
            case null:
                return got is null ? null : Differ(path, want, got);
            case JsonObject wo:
                if (got is not JsonObject go)
                {
                    return Differ(path, want, got);
                }

                foreach (var (k, v) in wo)
                {
                    if (!go.TryGetPropertyValue(k, out var gv))
                    {
                        return $"{path}.{k}: AWS {Shorten(Text(v))}, engine leaves it out";
                    }

                    if (FirstDifference($"{path}.{k}", v, gv) is { } d)
                    {
                        return d;
                    }
                }

                return go.Select(p => p.Key).FirstOrDefault(k => !wo.ContainsKey(k)) is { } extra
                    ? $"{path}.{extra}: AWS leaves it out, engine {Shorten(Text(go[extra]))}"
                    : null;
            case JsonArray wa:
                if (got is not JsonArray ga || ga.Count != wa.Count)
                {
                    return Differ(path, want, got);
                }

                for (var i = 0; i < wa.Count; i++)
                {
                    if (FirstDifference($"{path}[{i}]", wa[i], ga[i]) is { } d)
                    {
                        return d;
                    }
                }

                return null;
            default:
                return ScalarsMatch(want.AsValue(), got) ? null : Differ(path, want, got);
        }
    }

    private static bool ScalarsMatch(JsonValue want, JsonNode? got)
    {
        if (got is not JsonValue g)
        {
            return false;
        }

        var w = JsonSerializer.SerializeToElement(want);
        var a = JsonSerializer.SerializeToElement(g);
        if (w.ValueKind == JsonValueKind.Number && a.ValueKind == JsonValueKind.Number)
        {
            return w.TryGetDecimal(out var wd) && a.TryGetDecimal(out var ad) ? wd == ad : w.GetDouble().Equals(a.GetDouble());
        }

        if (w.ValueKind == JsonValueKind.String && a.ValueKind == JsonValueKind.String)
        {
            return TextMatches(w.GetString()!, a.GetString()!);
        }

        return w.ValueKind == a.ValueKind && w.GetRawText() == a.GetRawText();
    }

    /// <summary>
    /// Equal text, or AWS's text with placeholders: a `&lt;name&gt;`/`&lt;name:N&gt;` placeholder matches any text, and
    /// "date" (how the snapshots record ISO-8601 timestamps) matches any timestamp.
    /// </summary>
    public static bool TextMatches(string want, string got)
    {
        if (want == got)
        {
            return true;
        }

        if (want == "date")
        {
            return DateTimeOffset.TryParse(got, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
        }

        if (!Placeholder().IsMatch(want))
        {
            return false;
        }

        var pattern = new StringBuilder("^");
        var last = 0;
        foreach (Match m in Placeholder().Matches(want))
        {
            pattern.Append(Regex.Escape(want[last..m.Index])).Append("(?s:.*?)");
            last = m.Index + m.Length;
        }

        pattern.Append(Regex.Escape(want[last..])).Append('$');
        return Regex.IsMatch(got, pattern.ToString(), RegexOptions.None, RegexBudget);
    }

    private static string Differ(string path, JsonNode? want, JsonNode? got) =>
        $"{path}: AWS {Shorten(Text(want))}, engine {Shorten(Text(got))}";

    private static string Text(JsonNode? node) => node?.ToJsonString(Readable) ?? "null";

    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Shorten(string s)
    {
        s = s.ReplaceLineEndings(" ");
        return s.Length <= 160 ? s : s[..157] + "...";
    }

    [GeneratedRegex("<[A-Za-z_][A-Za-z0-9_:-]*>")]
    private static partial Regex Placeholder();
}
