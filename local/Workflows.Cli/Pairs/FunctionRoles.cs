using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DsqlLocal.Iam;
using Workflows.Templates;

namespace Workflows.Cli.Pairs;

/// <summary>An action taken out of one function's role for a run (<c>--iam-revoke Function=dsql:Action</c>).</summary>
internal sealed record RoleRevocation(string Function, string Action)
{
    /// <exception cref="UsageException">Not Function=service:Action.</exception>
    public static RoleRevocation Parse(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        var colon = eq < 0 ? -1 : text.IndexOf(':', eq);
        return eq > 0 && colon > eq + 1 && colon < text.Length - 1
            ? new RoleRevocation(text[..eq], text[(eq + 1)..])
            : throw new UsageException($"--iam-revoke '{text}' must be <FunctionLogicalId>=<service:Action>, e.g. LinkClustersFunction=dsql:AddPeerCluster");
    }
}

/// <summary>
/// Lambda gives each function its execution role's credentials. Locally, with IAM enforced, each function of
/// template.yaml gets its own access key, bound in DSQL Local to the policies its <c>Policies:</c> expand to
/// (<see cref="TemplateRoles"/>), so a run proves the template's least privilege. The principal is the role session
/// Lambda would use: arn:aws:sts::&lt;account&gt;:assumed-role/&lt;LogicalId&gt;Role/&lt;LogicalId&gt; (SAM names the role
/// &lt;stack&gt;-&lt;LogicalId&gt;Role-&lt;suffix&gt;; the local name drops the stack and the suffix).
/// </summary>
internal static class FunctionRoles
{
    /// <summary>Where the build puts SAM's policy_templates.json next to the template (see Workflows.Cli.csproj).</summary>
    public static string PolicyTemplatesPath => Path.Combine(AppContext.BaseDirectory, "sam", "policy_templates.json");

    /// <summary>One principal per function of the template, keyed by logical id.</summary>
    /// <exception cref="UsageException">A role cannot be expanded, or a revocation names no action of a function's role.</exception>
    public static IReadOnlyDictionary<string, IamPrincipal> Build(string templatePath, string region, string account, IReadOnlyList<RoleRevocation> revocations)
    {
        var template = SamTemplate.Load(templatePath);
        var policyTemplates = File.Exists(PolicyTemplatesPath) ? PolicyTemplates.Load(PolicyTemplatesPath) : null;
        IReadOnlyDictionary<string, TemplateRole> roles;
        try
        {
            roles = TemplateRoles.Read(template, region, account, policyTemplates);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--iam enforce: {e.Message}", e);
        }

        foreach (var revocation in revocations)
        {
            if (!template.Functions.ContainsKey(revocation.Function))
            {
                throw new UsageException($"--iam-revoke: '{revocation.Function}' is not a function of the template ({string.Join(", ", template.Functions.Keys)})");
            }
        }

        var principals = new Dictionary<string, IamPrincipal>(StringComparer.Ordinal);
        foreach (var id in template.Functions.Keys)
        {
            var policies = roles[id].Policies;
            foreach (var revocation in revocations.Where(r => r.Function == id))
            {
                policies = Revoke(policies, revocation);
            }

            principals[id] = new IamPrincipal(AccessKeyFor(id), SecretFor(id), $"arn:aws:sts::{account}:assumed-role/{id}Role/{id}", policies);
        }

        return principals;
    }

    /// <summary>
    /// The person at the keyboard. With IAM enforced only bound keys are recognized, so the CLI's own calls (list,
    /// describe, teardown --cluster, the pre-flight check) and serve's outside clients (the AWS CLI, the SDKs) sign
    /// with DSQL Local's documented key, bound here to an operator allowed every dsql action: Inferred, the way the
    /// account user who deploys the stack usually is. Only the functions run with least privilege; that is what a run
    /// proves.
    /// </summary>
    public static IamPrincipal Operator(string account) => new(
        DsqlLocal.DsqlLocalDefaults.AccessKeyId,
        DsqlLocal.DsqlLocalDefaults.SecretAccessKey,
        $"arn:aws:iam::{account}:user/workflows-operator",
        ["""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dsql:*","Resource":"*"}]}"""]);

    /// <summary>A stable, AWS-shaped temporary key id per function (ASIA + 16 characters), so logs stay comparable.</summary>
    public static string AccessKeyFor(string logicalId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(logicalId));
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var builder = new StringBuilder("ASIA");
        for (var i = 0; i < 16; i++)
        {
            builder.Append(alphabet[hash[i] % alphabet.Length]);
        }

        return builder.ToString();
    }

    private static string SecretFor(string logicalId) => string.Create(CultureInfo.InvariantCulture, $"workflows-local-role-{logicalId}");

    /// <summary>Takes the action out of every Allow statement; a statement left with no action goes.</summary>
    private static List<string> Revoke(IReadOnlyList<string> policies, RoleRevocation revocation)
    {
        var removed = false;
        var result = new List<string>();
        foreach (var document in policies)
        {
            var root = JsonNode.Parse(document)!.AsObject();
            var statements = root["Statement"] is JsonArray array ? array : new JsonArray(root["Statement"]!.DeepClone());
            var kept = new JsonArray();
            foreach (var statement in statements.OfType<JsonObject>())
            {
                if (statement["Effect"]?.GetValue<string>() == "Allow" && statement["Action"] is { } action)
                {
                    var list = action is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [action.GetValue<string>()];
                    var left = list.Where(x => !string.Equals(x, revocation.Action, StringComparison.OrdinalIgnoreCase)).ToList();
                    removed |= left.Count != list.Count;
                    if (left.Count == 0)
                    {
                        continue;
                    }

                    statement["Action"] = new JsonArray(left.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());
                }

                kept.Add(statement.DeepClone());
            }

            if (kept.Count > 0)
            {
                root["Statement"] = kept;
                result.Add(root.ToJsonString());
            }
        }

        return removed
            ? result
            : throw new UsageException($"--iam-revoke: the role of {revocation.Function} does not allow {revocation.Action} by name, so there is nothing to revoke");
    }
}
