using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

/// <summary>
/// The tags that tie a cluster to the run that created it, so that a run whose create call lost its answer can
/// still find (and clean up) what it made, and so that IAM can tell the workflows' clusters from others.
/// </summary>
public static partial class ExecutionTags
{
    /// <summary>
    /// What identifies a run: the execution name, or the request's idempotencyKey when it has one, so that a
    /// duplicate request (a second execution under another name) sends the same clientTokens and the same tags
    /// and DSQL answers with the clusters of the first. "key:" keeps a key from ever equalling an execution
    /// name (Step Functions names cannot contain ':').
    /// </summary>
    public static string RunId(string executionName, string? idempotencyKey) =>
        idempotencyKey is null ? executionName : "key:" + idempotencyKey;

    /// <summary>The user's tags plus the ones that say which run of which state machine made the cluster.</summary>
    public static Dictionary<string, string> With(IReadOnlyDictionary<string, string> tags, string runId, string? stateMachineArn)
    {
        var all = new Dictionary<string, string>(tags, StringComparer.Ordinal);
        foreach (var (key, value) in Identifying(runId, stateMachineArn))
        {
            all[key] = value;
        }

        return all;
    }

    /// <summary>The tags a cluster of this run carries (and FindExecutionClusters matches on).</summary>
    public static Dictionary<string, string> Identifying(string runId, string? stateMachineArn)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [RequestRules.ExecutionTagKey] = TagValue(runId) };
        if (stateMachineArn is not null)
        {
            tags[RequestRules.StateMachineTagKey] = StateMachineTagValue(stateMachineArn);
        }

        return tags;
    }

    /// <summary>
    /// The run id as the <c>workflows:execution</c> tag carries it. Execution names may hold characters a tag value
    /// may not (e.g. parentheses, non-ASCII letters); such a name is tagged by its hash. "sha256:" cannot start a
    /// name (names have no ':'), and a key's run id ("key:...") is always tag-safe, so the values never collide.
    /// </summary>
    public static string TagValue(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return Hashed(runId);
    }

    // A state machine name may hold characters a tag value may not; such an ARN is tagged by its hash.
    private static string StateMachineTagValue(string arn) => Hashed(arn);

    private static string Hashed(string text) =>
        text.Length <= RequestRules.MaxTagValueLength && TagSafe().IsMatch(text)
            ? text
            : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [GeneratedRegex("^[a-zA-Z0-9_.:/=+\\-@ ]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TagSafe();
}
