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
        return Decide(policies.SelectMany(p => p.Statements).Where(statement => Applies(statement, request)));
    }

    /// <summary>Over the statements that apply, in order: a Deny decides, else any Allow allows, else implicit deny.</summary>
    private static IamDecision Decide(IEnumerable<IamStatement> applicable)
    {
        var allowed = false;
        foreach (var statement in applicable)
        {
            if (statement.Effect == IamEffect.Deny)
            {
                return IamDecision.ExplicitDeny;
            }

            allowed = true;
        }

        return allowed ? IamDecision.Allow : IamDecision.ImplicitDeny;
    }

    /// <summary>
    /// A resource-based (cluster) policy for a caller of the cluster's own account (the only access DSQL's resource
    /// policies support). A statement applies when its Principal (or NotPrincipal) names the caller and its Action,
    /// Resource (none: the cluster itself) and conditions match. Principals (IAM User Guide, "Principal"): "*" is
    /// everyone; a role ARN names that role's sessions; any other ARN names exactly that principal; the account (its
    /// id or its root ARN) names every identity of the account for a Deny, while for an Allow it only delegates to the
    /// account's identity-based policies, so it grants nothing by itself (same-account evaluation with an account
    /// principal: the identity policy must allow).
    /// </summary>
    public static IamDecision EvaluateResourceBased(IamPolicy policy, string principalArn, IamRequest request)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        return Decide(policy.Statements.Where(statement =>
            Names(statement, principalArn)
            && Applies(statement with { Resources = statement.Resources ?? (statement.NotResources is null ? ["*"] : null) }, request)));
    }

    private static bool Names(IamStatement statement, string principalArn) =>
        statement.Principals is { } principals
            ? principals.Any(p => PrincipalMatches(p, principalArn, accountGrants: statement.Effect == IamEffect.Deny))
            : !statement.NotPrincipals!.Any(p => PrincipalMatches(p, principalArn, accountGrants: true));

    /// <param name="accountGrants">Whether an account principal counts as naming each of the account's identities.</param>
    internal static bool PrincipalMatches(string principal, string callerArn, bool accountGrants)
    {
        if (principal is "*" or "AWS:*")
        {
            return true;
        }

        if (!principal.StartsWith("AWS:", StringComparison.Ordinal))
        {
            // Service, Federated and CanonicalUser principals never sign DSQL Local's requests.
            return false;
        }

        var value = principal[4..];
        var caller = callerArn.Split(':', 6);
        var callerAccount = caller.Length > 4 ? caller[4] : string.Empty;
        if (value.Length == 12 && value.All(char.IsAsciiDigit) || (value.StartsWith("arn:aws:iam::", StringComparison.Ordinal) && value.EndsWith(":root", StringComparison.Ordinal)))
        {
            var account = value.Length == 12 ? value : value.Split(':')[4];
            return accountGrants && account == callerAccount;
        }

        if (value == callerArn)
        {
            return true;
        }

        // arn:aws:iam::<account>:role/<path/>Name names the sessions arn:aws:sts::<account>:assumed-role/Name/<session>.
        var parts = value.Split(':', 6);
        if (parts.Length == 6 && parts[2] == "iam" && parts[5].StartsWith("role/", StringComparison.Ordinal) && caller.Length == 6 && caller[2] == "sts")
        {
            var roleName = parts[5][(parts[5].LastIndexOf('/') + 1)..];
            var session = caller[5].Split('/');
            return parts[4] == callerAccount && session.Length >= 2 && session[0] == "assumed-role" && session[1] == roleName;
        }

        return false;
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
