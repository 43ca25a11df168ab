namespace DsqlLocal.Iam;

/// <summary>
/// A caller DSQL Local knows: an access key pair, the principal ARN that AccessDenied messages name (for a Lambda
/// function's role session, arn:aws:sts::&lt;account&gt;:assumed-role/&lt;role&gt;/&lt;function&gt;), and its identity-based
/// policy documents (JSON).
/// </summary>
public sealed record IamPrincipal(string AccessKeyId, string SecretAccessKey, string Arn, IReadOnlyList<string> Policies);

/// <summary>One evaluation: the principal, the action and resource it needed, and the outcome.</summary>
public sealed record IamAuditEntry(string PrincipalArn, string Action, string Resource, IamDecision Decision);

/// <summary>
/// IAM in DSQL Local. Off by default: every signed request with a known key is allowed, as before. With
/// <see cref="Enforce"/> only the keys of <see cref="Principals"/> are recognized (any other key gets
/// UnrecognizedClientException, like a key IAM does not know) and every call is evaluated against the caller's policies.
/// </summary>
public sealed class IamOptions
{
    public bool Enforce { get; set; }

    /// <summary>
    /// Told of every evaluation while enforcing (allowed or not), in order: which principal was asked for which
    /// action on which resource. Lets a harness list what a run actually needed.
    /// </summary>
    public Action<IamAuditEntry>? Audit { get; set; }

    public IList<IamPrincipal> Principals { get; init; } = [];

    /// <summary>The parsed policies of every principal, by access key.</summary>
    /// <exception cref="ArgumentException">A principal is incomplete, a key is bound twice, or a policy does not parse.</exception>
    internal Dictionary<string, (string Arn, IReadOnlyList<IamPolicy> Policies)> Checked()
    {
        var result = new Dictionary<string, (string, IReadOnlyList<IamPolicy>)>(StringComparer.Ordinal);
        for (var i = 0; i < Principals.Count; i++)
        {
            var p = Principals[i] ?? throw new ArgumentException($"Iam.Principals[{i}] is null.");
            if (string.IsNullOrEmpty(p.AccessKeyId) || string.IsNullOrEmpty(p.SecretAccessKey))
            {
                throw new ArgumentException($"Iam.Principals[{i}]: accessKeyId and secretAccessKey are required.");
            }

            if (string.IsNullOrEmpty(p.Arn) || !p.Arn.StartsWith("arn:", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Iam.Principals[{i}] ({p.AccessKeyId}): arn must be a principal ARN such as arn:aws:iam::123456789012:role/Name, not '{p.Arn}'.");
            }

            var policies = new List<IamPolicy>();
            for (var j = 0; j < (p.Policies ?? []).Count; j++)
            {
                try
                {
                    policies.Add(IamPolicy.Parse(p.Policies![j]));
                }
                catch (FormatException ex)
                {
                    throw new ArgumentException($"Iam.Principals[{i}] ({p.AccessKeyId}) policy {j}: {ex.Message}", ex);
                }
            }

            if (!result.TryAdd(p.AccessKeyId, (p.Arn, policies)))
            {
                throw new ArgumentException($"Iam.Principals[{i}]: access key {p.AccessKeyId} is bound to two principals.");
            }
        }

        return result;
    }
}
