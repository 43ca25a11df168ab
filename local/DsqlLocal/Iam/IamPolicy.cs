using System.Text.Json;

namespace DsqlLocal.Iam;

/// <summary>Allow or Deny, as a statement's Effect says.</summary>
public enum IamEffect
{
    Allow,
    Deny,
}

/// <summary>One condition test: an operator (with its ForAllValues:/ForAnyValue: prefix and IfExists suffix) on one key.</summary>
public sealed record IamCondition(string Operator, string Key, IReadOnlyList<string> Values);

/// <summary>
/// One statement of a policy. Exactly one of <see cref="Actions"/> / <see cref="NotActions"/> is non-null. In an
/// identity-based policy exactly one of <see cref="Resources"/> / <see cref="NotResources"/> is too and there is no
/// principal; in a resource-based (cluster) policy exactly one of <see cref="Principals"/> / <see cref="NotPrincipals"/>
/// is non-null, and both resource lists may be null (the statement is about the resource the policy is attached to).
/// Principals are written "*" (everyone) or "Type:value" ("AWS:arn:aws:iam::123456789012:role/Name", "Service:...").
/// </summary>
public sealed record IamStatement(
    string? Sid,
    IamEffect Effect,
    IReadOnlyList<string>? Actions,
    IReadOnlyList<string>? NotActions,
    IReadOnlyList<string>? Resources,
    IReadOnlyList<string>? NotResources,
    IReadOnlyList<IamCondition> Conditions,
    IReadOnlyList<string>? Principals = null,
    IReadOnlyList<string>? NotPrincipals = null);

/// <summary>
/// An identity-based IAM policy document, parsed from the JSON grammar of the IAM User Guide ("IAM JSON policy element
/// reference"): Version, optional Id, Statement as one object or an array of them.
/// </summary>
public sealed record IamPolicy(string Version, IReadOnlyList<IamStatement> Statements)
{
    /// <summary>The two versions the grammar knows; 2008-10-17 is what a policy without Version means.</summary>
    public static readonly IReadOnlyList<string> Versions = ["2012-10-17", "2008-10-17"];

    /// <exception cref="FormatException">Not JSON, or a member breaks the grammar; the message names the member and the rule.</exception>
    public static IamPolicy Parse(string json) => Parse(json, resourceBased: false);

    /// <summary>A resource-based policy (a cluster policy): statements name a Principal or NotPrincipal.</summary>
    /// <exception cref="FormatException">Not JSON, or a member breaks the grammar; the message names the member and the rule.</exception>
    public static IamPolicy ParseResourceBased(string json) => Parse(json, resourceBased: true);

    private static IamPolicy Parse(string json, bool resourceBased)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The policy is not valid JSON: {ex.Message}", ex);
        }

        using (doc)
        {
            return Parse(doc.RootElement, resourceBased);
        }
    }

    /// <exception cref="FormatException">A member breaks the grammar; the message names the member and the rule.</exception>
    public static IamPolicy Parse(JsonElement root) => Parse(root, resourceBased: false);

    private static IamPolicy Parse(JsonElement root, bool resourceBased)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("The policy must be a JSON object with Version and Statement.");
        }

        var version = "2008-10-17";
        JsonElement? statement = null;
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "Version":
                    version = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString()! : throw new FormatException("Version must be a string.");
                    if (!Versions.Contains(version, StringComparer.Ordinal))
                    {
                        throw new FormatException($"Version '{version}' is not a policy language version; use \"2012-10-17\".");
                    }

                    break;
                case "Id":
                    if (member.Value.ValueKind != JsonValueKind.String)
                    {
                        throw new FormatException("Id must be a string.");
                    }

                    break;
                case "Statement":
                    statement = member.Value;
                    break;
                default:
                    throw new FormatException($"'{member.Name}' is not a member of a policy (Version, Id, Statement).");
            }
        }

        if (statement is not { } s)
        {
            throw new FormatException("The policy has no Statement.");
        }

        var statements = new List<IamStatement>();
        switch (s.ValueKind)
        {
            case JsonValueKind.Object:
                statements.Add(ParseStatement(s, "Statement", resourceBased));
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in s.EnumerateArray())
                {
                    statements.Add(ParseStatement(item, $"Statement[{index++}]", resourceBased));
                }

                if (statements.Count == 0)
                {
                    throw new FormatException("Statement must not be an empty array.");
                }

                break;
            default:
                throw new FormatException("Statement must be an object or an array of objects.");
        }

        return new IamPolicy(version, statements);
    }

    private static IamStatement ParseStatement(JsonElement element, string where, bool resourceBased)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} must be an object.");
        }

        string? sid = null;
        IamEffect? effect = null;
        IReadOnlyList<string>? actions = null, notActions = null, resources = null, notResources = null, principals = null, notPrincipals = null;
        var conditions = new List<IamCondition>();
        foreach (var member in element.EnumerateObject())
        {
            var name = member.Name;
            var value = member.Value;
            switch (name)
            {
                case "Sid":
                    sid = value.ValueKind == JsonValueKind.String ? value.GetString() : throw new FormatException($"{where}.Sid must be a string.");
                    break;
                case "Effect":
                    // The grammar spells the two values exactly so; "allow" is a policy error, not an Allow.
                    effect = value.ValueKind == JsonValueKind.String ? value.GetString() switch
                    {
                        "Allow" => IamEffect.Allow,
                        "Deny" => IamEffect.Deny,
                        var other => throw new FormatException($"{where}.Effect must be \"Allow\" or \"Deny\", not \"{other}\"."),
                    }
                    : throw new FormatException($"{where}.Effect must be the string \"Allow\" or \"Deny\".");
                    break;
                case "Action":
                    actions = ActionList(value, $"{where}.Action");
                    break;
                case "NotAction":
                    notActions = ActionList(value, $"{where}.NotAction");
                    break;
                case "Resource":
                    resources = StringList(value, $"{where}.Resource");
                    break;
                case "NotResource":
                    notResources = StringList(value, $"{where}.NotResource");
                    break;
                case "Condition":
                    conditions.AddRange(ParseConditions(value, $"{where}.Condition"));
                    break;
                case "Principal" or "NotPrincipal" when resourceBased:
                    var parsed = PrincipalList(value, $"{where}.{name}");
                    if (name == "Principal")
                    {
                        principals = parsed;
                    }
                    else
                    {
                        notPrincipals = parsed;
                    }

                    break;
                case "Principal" or "NotPrincipal":
                    throw new FormatException($"{where}.{name}: an identity-based policy has no {name} (it belongs to resource-based policies).");
                default:
                    throw new FormatException($"{where}: '{name}' is not a statement member (Sid, Effect, {(resourceBased ? "Principal, NotPrincipal, " : string.Empty)}Action, NotAction, Resource, NotResource, Condition).");
            }
        }

        if (effect is null)
        {
            throw new FormatException($"{where} has no Effect.");
        }

        if ((actions is null) == (notActions is null))
        {
            throw new FormatException($"{where} must have exactly one of Action and NotAction.");
        }

        if (resourceBased)
        {
            if ((principals is null) == (notPrincipals is null))
            {
                throw new FormatException($"{where} must have exactly one of Principal and NotPrincipal.");
            }

            // Inferred: a cluster policy statement without Resource is about the cluster it is attached to.
            if (resources is not null && notResources is not null)
            {
                throw new FormatException($"{where} must not have both Resource and NotResource.");
            }
        }
        else if ((resources is null) == (notResources is null))
        {
            throw new FormatException($"{where} must have exactly one of Resource and NotResource.");
        }

        return new IamStatement(sid, effect.Value, actions, notActions, resources, notResources, conditions, principals, notPrincipals);
    }

    /// <summary>
    /// "*", or an object of principal types ("AWS", "Service", "Federated", "CanonicalUser") to one value or a list
    /// (IAM User Guide, "Principal"): returned as "*" or "Type:value".
    /// </summary>
    private static List<string> PrincipalList(JsonElement value, string where)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString() == "*"
                ? ["*"]
                : throw new FormatException($"{where} must be \"*\" or an object such as {{\"AWS\": \"arn:aws:iam::123456789012:role/Name\"}}.");
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} must be \"*\" or an object of principal types (AWS, Service, Federated, CanonicalUser).");
        }

        var list = new List<string>();
        foreach (var type in value.EnumerateObject())
        {
            if (type.Name is not ("AWS" or "Service" or "Federated" or "CanonicalUser"))
            {
                throw new FormatException($"{where}: '{type.Name}' is not a principal type (AWS, Service, Federated, CanonicalUser).");
            }

            list.AddRange(StringList(type.Value, $"{where}.{type.Name}").Select(v => type.Name + ":" + v));
        }

        return list.Count > 0 ? list : throw new FormatException($"{where} must name at least one principal.");
    }

    private static List<string> ActionList(JsonElement value, string where)
    {
        var list = StringList(value, where);
        foreach (var action in list)
        {
            // "*" alone, or service-prefix:action-pattern.
            var colon = action.IndexOf(':', StringComparison.Ordinal);
            if (action != "*" && (colon <= 0 || colon == action.Length - 1))
            {
                throw new FormatException($"{where}: '{action}' is not an action; write service:Action (such as dsql:GetCluster) or *.");
            }
        }

        return list;
    }

    private static List<string> StringList(JsonElement value, string where)
    {
        var list = value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                value.EnumerateArray().Select(e => e.GetString()!).ToList(),
            _ => throw new FormatException($"{where} must be a string or an array of strings."),
        };
        if (list.Count == 0 || list.Any(string.IsNullOrEmpty))
        {
            throw new FormatException($"{where} must name at least one value, and no empty ones.");
        }

        return list;
    }

    private static List<IamCondition> ParseConditions(JsonElement value, string where)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where} must be an object mapping condition operators to {{key: values}}.");
        }

        var result = new List<IamCondition>();
        foreach (var op in value.EnumerateObject())
        {
            if (!ConditionOperators.IsKnown(op.Name))
            {
                throw new FormatException($"{where}: '{op.Name}' is not a condition operator DSQL Local knows ({ConditionOperators.Describe()}).");
            }

            if (op.Value.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"{where}.{op.Name} must be an object mapping condition keys to values.");
            }

            foreach (var key in op.Value.EnumerateObject())
            {
                var values = key.Value.ValueKind switch
                {
                    JsonValueKind.Array => key.Value.EnumerateArray().Select(e => Scalar(e, $"{where}.{op.Name}.{key.Name}")).ToList(),
                    _ => [Scalar(key.Value, $"{where}.{op.Name}.{key.Name}")],
                };
                if (values.Count == 0)
                {
                    throw new FormatException($"{where}.{op.Name}.{key.Name} must have at least one value.");
                }

                result.Add(new IamCondition(op.Name, key.Name, values));
            }
        }

        return result;
    }

    // Condition values may be written as JSON booleans or numbers; IAM compares their text.
    private static string Scalar(JsonElement e, string where) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => e.GetRawText(),
        _ => throw new FormatException($"{where}: a condition value must be a string, a number or a boolean."),
    };
}
