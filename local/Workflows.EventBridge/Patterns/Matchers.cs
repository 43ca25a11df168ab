using System.Globalization;
using System.Text.Json;

namespace Workflows.EventBridge.Patterns;

/// <summary>One value condition of a field's array (the array's entries are ORed).</summary>
internal abstract class LeafMatcher
{
    /// <summary>Whether a scalar value of the event (string, number, true, false, null) satisfies the condition.</summary>
    public abstract bool Matches(JsonElement value);
}

/// <summary>An exact value: strings character by character, numbers by their text ("300, 300.0, and 3.0e2 are not considered equal").</summary>
internal sealed class ExactMatcher(JsonElement expected) : LeafMatcher
{
    public override bool Matches(JsonElement value) => Scalars.SameValue(expected, value);
}

internal sealed class PrefixMatcher(string prefix, bool ignoreCase) : LeafMatcher
{
    public override bool Matches(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && value.GetString()!.StartsWith(prefix, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}

internal sealed class SuffixMatcher(string suffix, bool ignoreCase) : LeafMatcher
{
    public override bool Matches(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        && value.GetString()!.EndsWith(suffix, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}

internal sealed class EqualsIgnoreCaseMatcher(string expected) : LeafMatcher
{
    public override bool Matches(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && string.Equals(value.GetString(), expected, StringComparison.OrdinalIgnoreCase);
}

internal sealed class WildcardMatcher(Wildcard wildcard) : LeafMatcher
{
    public override bool Matches(JsonElement value) => value.ValueKind == JsonValueKind.String && wildcard.IsMatch(value.GetString()!);
}

internal sealed class CidrMatcher(Cidr cidr) : LeafMatcher
{
    public override bool Matches(JsonElement value) => value.ValueKind == JsonValueKind.String && cidr.Contains(value.GetString()!);
}

/// <summary><c>exists: true</c>: any leaf value is there. <c>exists: false</c> is handled by the field, as it matches absence.</summary>
internal sealed class ExistsMatcher : LeafMatcher
{
    public override bool Matches(JsonElement value) => true;
}

/// <summary>
/// <c>numeric</c>: a JSON number within every bound. Strings that look like numbers do not match ("Numeric matching
/// works with values that are JSON numbers").
/// </summary>
internal sealed class NumericMatcher(IReadOnlyList<(string Op, decimal Value)> conditions) : LeafMatcher
{
    public override bool Matches(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number || !Scalars.TryDecimal(value, out var n))
        {
            return false;
        }

        foreach (var (op, bound) in conditions)
        {
            var ok = op switch
            {
                "=" => n == bound,
                "<" => n < bound,
                "<=" => n <= bound,
                ">" => n > bound,
                ">=" => n >= bound,
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// <c>anything-but</c>: the field is there and its value is none of the excluded ones. A value of another type than the
/// excluded ones (a number against excluded strings) is "anything but" them, so it matches (Inferred); the string-only
/// forms (prefix, suffix, equals-ignore-case, wildcard) match only strings (Inferred).
/// </summary>
internal sealed class AnythingButMatcher : LeafMatcher
{
    private readonly IReadOnlyList<LeafMatcher> _excluded;
    private readonly bool _stringsOnly;

    public AnythingButMatcher(IReadOnlyList<LeafMatcher> excluded, bool stringsOnly)
    {
        _excluded = excluded;
        _stringsOnly = stringsOnly;
    }

    public override bool Matches(JsonElement value)
    {
        if (_stringsOnly && value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        return !_excluded.Any(m => m.Matches(value));
    }
}

internal static class Scalars
{
    public static bool SameValue(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
        {
            return false;
        }

        return a.ValueKind switch
        {
            JsonValueKind.String => string.Equals(a.GetString(), b.GetString(), StringComparison.Ordinal),
            JsonValueKind.Number => string.Equals(a.GetRawText(), b.GetRawText(), StringComparison.Ordinal),
            JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null => true,
            _ => false,
        };
    }

    public static bool TryDecimal(JsonElement number, out decimal value)
    {
        if (number.TryGetDecimal(out value))
        {
            return true;
        }

        // Exponents beyond decimal's reach (1e40) are outside every bound anyway; keep their sign for the comparison.
        if (double.TryParse(number.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d))
        {
            value = d > 0 ? decimal.MaxValue : decimal.MinValue;
            return d != 0;
        }

        return false;
    }
}
