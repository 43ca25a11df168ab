using DsqlLocal.Http;

namespace DsqlLocal.Iam;

/// <summary>
/// Evaluates a call's required actions against the caller's identity-based policies, in order, and refuses the first
/// one that is not allowed with AccessDeniedException (HTTP 403) in IAM's message format (IAM User Guide,
/// "Troubleshoot access denied error messages"): the principal, the action, the resource, and why.
/// </summary>
internal sealed class IamAuthorizer
{
    private readonly Dictionary<string, (string Arn, IReadOnlyList<IamPolicy> Policies)> _principals;
    private readonly RequiredActions _required;
    private readonly Action<IamAuditEntry>? _audit;

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
            var decision = PolicyEvaluator.Evaluate(policies, request);
            _audit?.Invoke(new IamAuditEntry(arn, request.Action, request.Resource, decision));
            if (decision != IamDecision.Allow)
            {
                throw Errors.AccessDenied(Message(arn, request, decision));
            }
        }
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

    internal static string Message(string principalArn, IamRequest request, IamDecision decision) =>
        decision == IamDecision.ExplicitDeny
            ? $"User: {principalArn} is not authorized to perform: {request.Action} on resource: {request.Resource} with an explicit deny in an identity-based policy"
            : $"User: {principalArn} is not authorized to perform: {request.Action} on resource: {request.Resource} because no identity-based policy allows the {request.Action} action";
}
