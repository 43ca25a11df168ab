using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

internal static class ExecutionTags
{
    /// <summary>The user's tags plus the one that says which execution made the cluster.</summary>
    public static Dictionary<string, string> With(IReadOnlyDictionary<string, string> tags, string executionName) =>
        new(tags, StringComparer.Ordinal) { [RequestRules.ExecutionTagKey] = executionName };
}
