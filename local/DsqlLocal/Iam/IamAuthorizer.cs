using DsqlLocal.Http;

namespace DsqlLocal.Iam;

/// <summary>
/// Evaluates a call's required actions against the caller's identity-based policies and the cluster's resource-based
/// policy, in order, and refuses the first one that is not allowed with AccessDeniedException (HTTP 403) in IAM's
/// message format (IAM User Guide, "Troubleshoot access denied error messages"): the principal, the action, the
/// resource, and why. Both policy types are combined as the IAM User Guide's evaluation logic does for requests within
/// one account: an explicit Deny in either wins; else an Allow in either suffices; else the request is implicitly
/// denied. The cluster policy takes part for the operations the Aurora DSQL user guide marks as supporting
/// resource-based policies ("Aurora DSQL API operations and resource-based policies"): all but CreateCluster and
/// ListClusters (the stream operations are not in that table; Inferred: they are subject to it, being on the cluster).
/// </summary>
internal sealed class IamAuthorizer
{
    private readonly Dictionary<string, (string Arn, IReadOnlyList<IamPolicy> Policies)> _principals;
    private readonly RequiredActions _required;
    private readonly Action<IamAuditEntry>? _audit;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IamPolicy?> _resourcePolicies = new(StringComparer.Ordinal);

    public IamAuthorizer(IamOptions options, RequiredActions required)
    {
        _principals = options.Checked();
        Enforce = options.Enforce;
        _audit = options.Audit;
        _required = required;
    }

    public bool Enforce { get; }

    public RequiredActions Required => _required;

    /// <exception cref="DsqlApiException">AccessDeniedException naming the first action that is not allowed.</exception>
    public void Authorize(string accessKeyId, RequiredActions.Call call)
    {
        if (!Enforce)
        {
            return;
        }

        // The verifier recognizes only bound keys when enforcing, so a missing principal is a wiring bug.
        var (arn, policies) = _principals.TryGetValue(accessKeyId, out var p)
            ? p
            : throw Errors.Forbidden("UnrecognizedClientException", "The security token included in the request is invalid.");
        foreach (var request in _required.For(call, arn))
        {
            var identity = PolicyEvaluator.Evaluate(policies, request);
            var resource = ResourceDecision(call.Operation, arn, request);
            var decision = identity == IamDecision.ExplicitDeny || resource == IamDecision.ExplicitDeny
                ? IamDecision.ExplicitDeny
                : identity == IamDecision.Allow || resource == IamDecision.Allow ? IamDecision.Allow : IamDecision.ImplicitDeny;
            _audit?.Invoke(new IamAuditEntry(arn, request.Action, request.Resource, decision));
            if (decision != IamDecision.Allow)
            {
                throw Errors.AccessDenied(Message(arn, request, decision, deniedByResourcePolicy: identity != IamDecision.ExplicitDeny && resource == IamDecision.ExplicitDeny));
            }
        }
    }

    /// <summary>
    /// With IAM enforced, a cluster policy (of PutClusterPolicy or CreateCluster) must be one DSQL Local can evaluate:
    /// a statement with a condition operator it does not know is refused by name rather than silently never matching.
    /// </summary>
    /// <exception cref="DsqlApiException">ValidationException naming <c>policy</c>.</exception>
    public void CheckResourcePolicy(string? policy)
    {
        if (!Enforce || policy is null)
        {
            return;
        }

        try
        {
            _resourcePolicies[policy] = IamPolicy.ParseResourceBased(policy);
        }
        catch (FormatException ex)
        {
            throw Errors.Field("policy", "DSQL Local cannot evaluate this resource-based policy with --iam enforce: " + ex.Message);
        }
    }

    private IamDecision ResourceDecision(string operation, string principalArn, IamRequest request)
    {
        if (operation is "CreateCluster" or "ListClusters" || _required.FactsOf(request.Resource)?.Policy is not { } text)
        {
            return IamDecision.ImplicitDeny;
        }

        var policy = _resourcePolicies.GetOrAdd(text, static t =>
        {
            try
            {
                return IamPolicy.ParseResourceBased(t);
            }
            catch (FormatException)
            {
                return null;
            }
        });

        // A stored policy DSQL Local cannot evaluate (written while IAM was off) fails closed (Inferred).
        return policy is null ? IamDecision.ExplicitDeny : PolicyEvaluator.EvaluateResourceBased(policy, principalArn, request);
    }

    /// <summary>
    /// GET /_dsql-local/iam: whether IAM is enforced and which principal each key is bound to, with its policies
    /// (never the secrets).
    /// </summary>
    public string Describe()
    {
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("enforce", Enforce);
            json.WriteStartArray("principals");
            foreach (var (key, (arn, policies)) in _principals.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("accessKeyId", key);
                json.WriteString("arn", arn);
                json.WriteNumber("policies", policies.Count);
                json.WriteNumber("statements", policies.Sum(p => p.Statements.Count));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static string Message(string principalArn, IamRequest request, IamDecision decision, bool deniedByResourcePolicy = false) =>
        decision == IamDecision.ExplicitDeny
            ? $"User: {principalArn} is not authorized to perform: {request.Action} on resource: {request.Resource} with an explicit deny in {(deniedByResourcePolicy ? "a resource-based" : "an identity-based")} policy"
            : $"User: {principalArn} is not authorized to perform: {request.Action} on resource: {request.Resource} because no identity-based policy allows the {request.Action} action";
}
