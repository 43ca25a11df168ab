using System.Globalization;

namespace DsqlLocal.Iam;

/// <summary>
/// The condition operators of the IAM User Guide ("IAM JSON policy elements: Condition operators") that DSQL Local
/// evaluates, and how a key missing from the request is treated. Date, IP address and binary operators are refused
/// when the policy is parsed (no DSQL condition key is of those types).
/// </summary>
internal static class ConditionOperators
{
    private const string ForAllValues = "ForAllValues:";
    private const string ForAnyValue = "ForAnyValue:";
    private const string IfExists = "IfExists";

    private static readonly string[] Bases =
    [
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike",
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
        "Bool", "Null",
    ];

    public static string Describe() => string.Join(", ", Bases) + ", with ForAllValues:/ForAnyValue: and ...IfExists";

    public static bool IsKnown(string op)
    {
        var (_, baseName, ifExists) = Split(op);
        return Bases.Contains(baseName, StringComparer.Ordinal) && !(baseName == "Null" && ifExists);
    }

    /// <summary>Whether one condition holds for the request's values of its key (null: the key is not in the request).</summary>
    public static bool Holds(IamCondition condition, IReadOnlyList<string>? requestValues)
    {
        var (prefix, baseName, ifExists) = Split(condition.Operator);
        var present = requestValues is { Count: > 0 };
        if (baseName == "Null")
        {
            // "true": the key must be absent; "false": present. Several values are alternatives.
            return condition.Values.Any(v => string.Equals(v, "true", StringComparison.OrdinalIgnoreCase) ? !present : present);
        }

        var negated = baseName.Contains("Not", StringComparison.Ordinal);
        if (!present)
        {
            // IAM User Guide: a missing key makes a condition false, except that a negated operator is true, ...IfExists
            // is true, and ForAllValues over no values is true (vacuously); ForAnyValue over none is false.
            return ifExists || prefix == ForAllValues || (prefix != ForAnyValue && negated);
        }

        var positive = negated ? baseName.Replace("Not", string.Empty, StringComparison.Ordinal) : baseName;
        bool One(string value)
        {
            var any = condition.Values.Any(p => Matches(positive, value, p));
            return negated ? !any : any;
        }

        return prefix switch
        {
            ForAllValues => requestValues!.All(One),
            // Inferred for a plain operator on a multivalued key: any of the request's values may satisfy it.
            _ => requestValues!.Any(One),
        };
    }

    private static bool Matches(string op, string value, string policyValue) => op switch
    {
        "StringEquals" => string.Equals(value, policyValue, StringComparison.Ordinal),
        "StringEqualsIgnoreCase" => string.Equals(value, policyValue, StringComparison.OrdinalIgnoreCase),
        "StringLike" => Wildcard.Matches(policyValue, value, ignoreCase: false),
        "ArnEquals" or "ArnLike" => Wildcard.MatchesArn(policyValue, value),
        "Bool" => string.Equals(value, policyValue, StringComparison.OrdinalIgnoreCase),
        "NumericEquals" => Compare(value, policyValue) is 0,
        "NumericLessThan" => Compare(value, policyValue) is < 0,
        "NumericLessThanEquals" => Compare(value, policyValue) is <= 0,
        "NumericGreaterThan" => Compare(value, policyValue) is > 0,
        "NumericGreaterThanEquals" => Compare(value, policyValue) is >= 0,
        _ => false,
    };

    // A value that is not a number matches no numeric comparison.
    private static int? Compare(string value, string policyValue) =>
        decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
        && decimal.TryParse(policyValue, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
            ? a.CompareTo(b)
            : null;

    private static (string Prefix, string Base, bool IfExists) Split(string op)
    {
        var prefix = op.StartsWith(ForAllValues, StringComparison.Ordinal) ? ForAllValues
            : op.StartsWith(ForAnyValue, StringComparison.Ordinal) ? ForAnyValue
            : string.Empty;
        var rest = op[prefix.Length..];
        var ifExists = rest.EndsWith(IfExists, StringComparison.Ordinal);
        return (prefix, ifExists ? rest[..^IfExists.Length] : rest, ifExists);
    }
}
