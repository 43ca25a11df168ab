namespace DsqlLocal.Iam;

/// <summary>The outcome of evaluating the identity-based policies for one action on one resource.</summary>
public enum IamDecision
{
    Allow,

    /// <summary>No statement allows the request (IAM's default).</summary>
    ImplicitDeny,

    /// <summary>A Deny statement applies; it wins over any Allow.</summary>
    ExplicitDeny,
}

/// <summary>
/// One action on one resource, with the request context its condition keys are read from. Key names compare
/// case-insensitively, as IAM's condition keys do; a key that is absent is simply not in the dictionary.
/// </summary>
public sealed class IamRequest
{
    public IamRequest(string action, string resource, IReadOnlyDictionary<string, IReadOnlyList<string>>? context = null)
    {
        Action = action;
        Resource = resource;
        var keys = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, values) in context ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            keys[key] = values;
        }

        Context = keys;
    }

    /// <summary>service:Action, such as dsql:CreateCluster.</summary>
    public string Action { get; }

    public string Resource { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Context { get; }
}

/// <summary>
/// Identity-based policy evaluation as the IAM User Guide's "Policy evaluation logic" describes it for one account with
/// only identity policies: an applicable Deny statement decides (explicit deny), else an applicable Allow, else the
/// request is implicitly denied. A statement applies when its Action (or NotAction), its Resource (or NotResource) and
/// every condition match; conditions are ANDed across operators and keys, a key's values are ORed.
/// </summary>
public static class PolicyEvaluator
{
    public static IamDecision Evaluate(IEnumerable<IamPolicy> policies, IamRequest request)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(request);
        var allowed = false;
        foreach (var statement in policies.SelectMany(p => p.Statements))
        {
            if (!Applies(statement, request))
            {
                continue;
            }

            if (statement.Effect == IamEffect.Deny)
            {
                return IamDecision.ExplicitDeny;
            }

            allowed = true;
        }

        return allowed ? IamDecision.Allow : IamDecision.ImplicitDeny;
    }

    internal static bool Applies(IamStatement statement, IamRequest request)
    {
        var actionMatches = statement.Actions is { } actions
            ? actions.Any(a => ActionMatches(a, request.Action))
            : !statement.NotActions!.Any(a => ActionMatches(a, request.Action));
        if (!actionMatches)
        {
            return false;
        }

        var resourceMatches = statement.Resources is { } resources
            ? resources.Any(r => Wildcard.MatchesArn(r, request.Resource))
            : !statement.NotResources!.Any(r => Wildcard.MatchesArn(r, request.Resource));
        return resourceMatches
            && statement.Conditions.All(c => ConditionOperators.Holds(c, request.Context.TryGetValue(c.Key, out var v) ? v : null));
    }

    /// <summary>Action names are not case-sensitive (IAM User Guide, "Action"); "*" matches every service.</summary>
    internal static bool ActionMatches(string pattern, string action) => Wildcard.Matches(pattern, action, ignoreCase: true);
}
