using Microsoft.Extensions.Logging;
using Workflows.Core.Logging;

namespace Workflows.Core.Steps;

internal static class StepLogging
{
    /// <summary>Puts the execution, Region and cluster on every line the step writes inside the scope.</summary>
    public static IDisposable? ClusterScope(this ILogger logger, string? execution, string region, string? clusterId = null)
    {
        var state = new Dictionary<string, object?>(StringComparer.Ordinal) { [LogKeys.Region] = region };
        if (execution is not null)
        {
            state[LogKeys.Execution] = execution;
        }

        if (clusterId is not null)
        {
            state[LogKeys.ClusterId] = clusterId;
        }

        return logger.BeginScope(state);
    }
}
