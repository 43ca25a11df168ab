using System.Text.Json;

namespace Workflows.EventBridge.Patterns;

/// <summary>Turns a pattern's JSON into matchers, refusing what EventBridge refuses with the path of the offending part.</summary>
internal sealed class PatternParser(EventPatternOptions options, string? ruleName)
{
    public PatternObject ParseObject(JsonElement obj, string path, int depth)
    {
        if (depth > options.MaxDepth)
        {
            throw Error($"the pattern nests deeper than {options.MaxDepth} levels", path);
        }

        var result = new PatternObject();
        var any = false;
        foreach (var property in obj.EnumerateObject())
        {
            any = true;
            var name = property.Name;
            var value = property.Value;
            var fieldPath = Join(path, name);
            if (name == "$or" && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0
                && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object))
            {
                var alternatives = new List<PatternObject>();
                var i = 0;
                foreach (var alternative in value.EnumerateArray())
                {
                    alternatives.Add(ParseObject(alternative, $"{fieldPath}[{i++}]", depth + 1));
                }

                result.OrGroups.Add(alternatives);
                continue;
            }

            // A key given twice: the last one is the one used ("the last reference will be the one used").
            result.Fields[name] = value.ValueKind switch
            {
                JsonValueKind.Object => new PatternField { Nested = ParseObject(value, fieldPath, depth + 1) },
                JsonValueKind.Array => ParseValues(value, fieldPath),
                _ => throw Error($"\"{name}\" must be an object or an array", fieldPath),
            };
        }

        if (!any)
        {
            throw Error("Empty objects are not allowed", path);
        }

        return result;
    }

    private PatternField ParseValues(JsonElement array, string path)
    {
        if (array.GetArrayLength() == 0)
        {
            throw Error("Empty arrays are not allowed", path);
        }

        var field = new PatternField();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}[{i++}]";
            switch (item.ValueKind)
            {
                case JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null:
                    field.Matchers.Add(new ExactMatcher(item.Clone()));
                    break;
                case JsonValueKind.Object:
                    ParseOperator(item, itemPath, field);
                    break;
                default:
                    throw Error("Match value must be String, number, true, false, null, or an object with one match type", itemPath);
            }
        }

        return field;
    }

    private void ParseOperator(JsonElement obj, string path, PatternField field)
    {
        var properties = obj.EnumerateObject().ToList();
        if (properties.Count != 1)
        {
            throw Error(properties.Count == 0 ? "Empty objects are not allowed" : "Only one key allowed in match expression", path);
        }

        var (key, value) = (properties[0].Name, properties[0].Value);
        var at = Join(path, key);
        switch (key)
        {
            case "prefix":
                field.Matchers.Add(ParseAffix(value, at, key, (s, ic) => new PrefixMatcher(s, ic)));
                break;
            case "suffix":
                field.Matchers.Add(ParseAffix(value, at, key, (s, ic) => new SuffixMatcher(s, ic)));
                break;
            case "equals-ignore-case":
                field.Matchers.Add(new EqualsIgnoreCaseMatcher(RequireString(value, at, "equals-ignore-case match pattern must be a string")));
                break;
            case "wildcard":
                field.Matchers.Add(new WildcardMatcher(ParseWildcard(value, at)));
                break;
            case "cidr":
                var text = RequireString(value, at, "cidr match pattern must be a string");
                field.Matchers.Add(new CidrMatcher(Cidr.TryParse(text, out var cidrError) ?? throw Error(cidrError!, at)));
                break;
            case "exists":
                if (value.ValueKind == JsonValueKind.True)
                {
                    field.Matchers.Add(new ExistsMatcher());
                }
                else if (value.ValueKind == JsonValueKind.False)
                {
                    field.AllowsAbsent = true;
                }
                else
                {
                    throw Error("exists match pattern must be either true or false", at);
                }

                break;
            case "numeric":
                field.Matchers.Add(ParseNumeric(value, at));
                break;
            case "anything-but":
                field.Matchers.Add(ParseAnythingBut(value, at));
                break;
            default:
                throw Error($"Unrecognized match type {key}", at);
        }
    }

    private LeafMatcher ParseAffix(JsonElement value, string path, string key, Func<string, bool, LeafMatcher> make)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return make(value.GetString()!, false);
        }

        // { "prefix": { "equals-ignore-case": "EventB" } } and the same for suffix.
        if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().ToList() is [{ Name: "equals-ignore-case" } inner])
        {
            return make(RequireString(inner.Value, Join(path, "equals-ignore-case"), "equals-ignore-case match pattern must be a string"), true);
        }

        throw Error($"{key} match pattern must be a string or an object with equals-ignore-case", path);
    }

    private Wildcard ParseWildcard(JsonElement value, string path)
    {
        var text = RequireString(value, path, "wildcard match pattern must be a string");
        var wildcard = Wildcard.TryParse(text, out var error) ?? throw Error(error!, path);
        if (wildcard.Stars > options.MaxWildcardsPerValue)
        {
            throw Error($"Rule is too complex - try using fewer wildcard characters ({wildcard.Stars} in one value, at most {options.MaxWildcardsPerValue})", path);
        }

        return wildcard;
    }

    private NumericMatcher ParseNumeric(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error("Value of numeric must be an array.", path);
        }

        var items = value.EnumerateArray().ToList();
        if (items.Count == 0 || items.Count % 2 != 0)
        {
            throw Error("numeric takes pairs of an operator and a number, such as [\">\", 0, \"<=\", 5]", path);
        }

        var conditions = new List<(string, decimal)>();
        string? lowerOp = null, upperOp = null;
        decimal lower = 0, upper = 0;
        for (var i = 0; i < items.Count; i += 2)
        {
            var opPath = $"{path}[{i}]";
            var numberPath = $"{path}[{i + 1}]";
            if (items[i].ValueKind != JsonValueKind.String || items[i].GetString() is not ("=" or "<" or "<=" or ">" or ">=") )
            {
                throw Error("Unrecognized numeric range operator: must be one of =, <, <=, >, >=", opPath);
            }

            var op = items[i].GetString()!;
            if (items[i + 1].ValueKind != JsonValueKind.Number)
            {
                throw Error($"Value of {op} must be numeric", numberPath);
            }

            if (!items[i + 1].TryGetDecimal(out var number) || Math.Abs(number) > options.NumericLimit)
            {
                throw Error($"Value of {op} must be between -{options.NumericLimit:0.0##e0} and {options.NumericLimit:0.0##e0} inclusive", numberPath);
            }

            if (decimal.Round(number, options.NumericDecimalPlaces) != number)
            {
                throw Error($"Value of {op} has more than {options.NumericDecimalPlaces} digits to the right of the decimal point", numberPath);
            }

            switch (op)
            {
                case "=" when items.Count != 2:
                    throw Error("\"=\" cannot be combined with other numeric conditions", opPath);
                case ">" or ">=":
                    if (lowerOp is not null)
                    {
                        throw Error("Only one lower bound (> or >=) is allowed in a numeric match", opPath);
                    }

                    (lowerOp, lower) = (op, number);
                    break;
                case "<" or "<=":
                    if (upperOp is not null)
                    {
                        throw Error("Only one upper bound (< or <=) is allowed in a numeric match", opPath);
                    }

                    (upperOp, upper) = (op, number);
                    break;
            }

            conditions.Add((op, number));
        }

        if (lowerOp is not null && upperOp is not null && lower >= upper)
        {
            throw Error("Bottom must be less than top in a numeric range", path);
        }

        return new NumericMatcher(conditions);
    }

    private AnythingButMatcher ParseAnythingBut(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String or JsonValueKind.Number:
                return new AnythingButMatcher([new ExactMatcher(value.Clone())], stringsOnly: false);
            case JsonValueKind.Array:
                var items = value.EnumerateArray().ToList();
                if (items.Count == 0)
                {
                    throw Error("Empty arrays are not allowed", path);
                }

                var kind = items[0].ValueKind;
                for (var i = 0; i < items.Count; i++)
                {
                    if (items[i].ValueKind is not (JsonValueKind.String or JsonValueKind.Number) || items[i].ValueKind != kind)
                    {
                        throw Error("Inside anything-but list, only strings or only numbers are allowed", $"{path}[{i}]");
                    }
                }

                return new AnythingButMatcher(items.Select(e => (LeafMatcher)new ExactMatcher(e.Clone())).ToList(), stringsOnly: false);
            case JsonValueKind.Object:
                var properties = value.EnumerateObject().ToList();
                if (properties.Count != 1)
                {
                    throw Error(properties.Count == 0 ? "Empty objects are not allowed" : "Only one key allowed in match expression", path);
                }

                var (key, inner) = (properties[0].Name, properties[0].Value);
                var at = Join(path, key);
                return key switch
                {
                    // "Anything-but matching only works with a single prefix, not a list" (and the same is taken for suffix, Inferred).
                    "prefix" => new AnythingButMatcher([new PrefixMatcher(RequireNonEmpty(inner, at, "prefix"), false)], stringsOnly: true),
                    "suffix" => new AnythingButMatcher([new SuffixMatcher(RequireNonEmpty(inner, at, "suffix"), false)], stringsOnly: true),
                    "equals-ignore-case" => new AnythingButMatcher(
                        StringOrList(inner, at, "equals-ignore-case").Select(s => (LeafMatcher)new EqualsIgnoreCaseMatcher(s)).ToList(), stringsOnly: true),
                    "wildcard" => new AnythingButMatcher(
                        WildcardOrList(inner, at).Select(w => (LeafMatcher)new WildcardMatcher(w)).ToList(), stringsOnly: true),
                    _ => throw Error($"Unsupported anything-but pattern: {key}", at),
                };
            default:
                throw Error("anything-but takes a string, a number, a list of strings or of numbers, or an object with prefix, suffix, equals-ignore-case or wildcard", path);
        }
    }

    private List<Wildcard> WildcardOrList(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var list = new List<Wildcard>();
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                list.Add(ParseWildcard(item, $"{path}[{i++}]"));
            }

            return list.Count > 0 ? list : throw Error("Empty arrays are not allowed", path);
        }

        return [ParseWildcard(value, path)];
    }

    private List<string> StringOrList(JsonElement value, string path, string key)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            return value.EnumerateArray().Select(e => e.GetString()!).ToList();
        }

        throw Error($"{key} inside anything-but must be a string or a non-empty list of strings", path);
    }

    private string RequireNonEmpty(JsonElement value, string path, string key)
    {
        var text = RequireString(value, path, $"{key} inside anything-but must be a single string");
        return text.Length > 0 ? text : throw Error($"{key} inside anything-but must not be empty", path);
    }

    private string RequireString(JsonElement value, string path, string reason) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Error(reason, path);

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private InvalidEventPatternException Error(string reason, string path) => new(reason, path, ruleName);
}
