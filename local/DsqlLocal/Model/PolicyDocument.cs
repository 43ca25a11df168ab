using System.Text.Json;
using System.Text.RegularExpressions;

namespace DsqlLocal.Model;

/// <summary>
/// Checks a resource-based policy the way IAM's grammar describes one (Version, Statement with Effect, a
/// principal and actions), and finds the statements that would lock every caller out of changing the policy
/// again. The service documents only "a valid JSON policy document" and that bypassPolicyLockoutSafetyCheck
/// allows "a policy that might lock you out of the cluster"; the exact checks and wording here are Inferred.
/// </summary>
internal static class PolicyDocument
{
    private static readonly HashSet<string> StatementKeys =
        new(["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"], StringComparer.Ordinal);

    /// <summary>Null when the document is acceptable, else why it is not.</summary>
    public static string? Problem(string policy)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(policy);
        }
        catch (JsonException ex)
        {
            return "The policy is not valid JSON: " + ex.Message;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "The policy must be a JSON object.";
            }

            foreach (var member in root.EnumerateObject())
            {
                if (member.Name is not ("Version" or "Id" or "Statement"))
                {
                    return $"The policy has an unknown element '{member.Name}' (expected Version, Id, Statement).";
                }
            }

            if (root.TryGetProperty("Version", out var version)
                && (version.ValueKind != JsonValueKind.String || version.GetString() is not ("2012-10-17" or "2008-10-17")))
            {
                return "The policy Version must be \"2012-10-17\" or \"2008-10-17\".";
            }

            if (!root.TryGetProperty("Statement", out var statements))
            {
                return "The policy has no Statement.";
            }

            var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements];
            if (list.Count == 0)
            {
                return "The policy's Statement list is empty.";
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (StatementProblem(list[i]) is { } problem)
                {
                    return $"Statement {i + 1}: {problem}";
                }
            }

            return null;
        }
    }

    /// <summary>
    /// True when a statement denies every principal the right to change the policy, without a condition that
    /// could exempt anyone: after it, nobody could put a corrected policy (Inferred reading of "lock you out").
    /// </summary>
    public static bool LocksOut(string policy)
    {
        using var doc = JsonDocument.Parse(policy);
        var statements = doc.RootElement.GetProperty("Statement");
        var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : [statements];
        return list.Any(s =>
            s.GetProperty("Effect").GetString() == "Deny"
            && !s.TryGetProperty("Condition", out _)
            && s.TryGetProperty("Principal", out var principal) && IsEveryone(principal)
            && s.TryGetProperty("Action", out var action) && Strings(action).Any(a => Matches(a, "dsql:PutClusterPolicy")));
    }

    private static string? StatementProblem(JsonElement statement)
    {
        if (statement.ValueKind != JsonValueKind.Object)
        {
            return "a statement must be a JSON object.";
        }

        foreach (var member in statement.EnumerateObject())
        {
            if (!StatementKeys.Contains(member.Name))
            {
                return $"unknown element '{member.Name}'.";
            }
        }

        if (!statement.TryGetProperty("Effect", out var effect) || effect.ValueKind != JsonValueKind.String || effect.GetString() is not ("Allow" or "Deny"))
        {
            return "Effect must be \"Allow\" or \"Deny\".";
        }

        var principals = (statement.TryGetProperty("Principal", out _) ? 1 : 0) + (statement.TryGetProperty("NotPrincipal", out _) ? 1 : 0);
        if (principals != 1)
        {
            return "a resource-based policy statement needs exactly one of Principal and NotPrincipal.";
        }

        var actions = statement.TryGetProperty("Action", out var action) ? action : statement.TryGetProperty("NotAction", out var notAction) ? notAction : default;
        if (actions.ValueKind == JsonValueKind.Undefined || (statement.TryGetProperty("Action", out _) && statement.TryGetProperty("NotAction", out _)))
        {
            return "exactly one of Action and NotAction is required.";
        }

        if (!IsStringOrStrings(actions) || Strings(actions).Count == 0)
        {
            return "Action must be a string or a non-empty list of strings.";
        }

        foreach (var name in new[] { "Resource", "NotResource" })
        {
            if (statement.TryGetProperty(name, out var resource) && !IsStringOrStrings(resource))
            {
                return $"{name} must be a string or a list of strings.";
            }
        }

        if (statement.TryGetProperty("Condition", out var condition) && condition.ValueKind != JsonValueKind.Object)
        {
            return "Condition must be an object.";
        }

        return null;
    }

    private static bool IsEveryone(JsonElement principal) =>
        (principal.ValueKind == JsonValueKind.String && principal.GetString() == "*")
        || (principal.ValueKind == JsonValueKind.Object && principal.TryGetProperty("AWS", out var aws) && Strings(aws).Contains("*"));

    private static bool IsStringOrStrings(JsonElement value) =>
        value.ValueKind == JsonValueKind.String
        || (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String));

    private static List<string> Strings(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList(),
        _ => [],
    };

    // IAM action names compare case-insensitively, with * and ? as wildcards.
    private static bool Matches(string pattern, string action) =>
        Regex.IsMatch(action, "\\A" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "\\z", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
}
