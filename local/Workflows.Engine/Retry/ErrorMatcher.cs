using Workflows.Engine.Errors;

namespace Workflows.Engine.Retry;

/// <summary>How an ErrorEquals list matches an error: exact, case-sensitive names plus the States.* wildcards.</summary>
internal static class ErrorMatcher
{
    public static bool Matches(IReadOnlyList<string> errorEquals, StatesException error)
    {
        foreach (var name in errorEquals)
        {
            if (string.Equals(name, error.Error, StringComparison.Ordinal))
            {
                return true;
            }

            switch (name)
            {
                // The two terminal errors are outside the wildcard, except a task result over the size limit, which
                // AWS's States.ALL catches (recorded).
                case ErrorNames.All when error.Error is not (ErrorNames.Runtime or ErrorNames.DataLimitExceeded) || error is StatesDataLimitExceeded { FromTaskResult: true }:
                    return true;
                case ErrorNames.TaskFailed when error.Error is not (ErrorNames.Timeout or ErrorNames.Runtime or ErrorNames.DataLimitExceeded):
                    return true;
                case ErrorNames.HeartbeatTimeout when error is StatesTimeout { FromHeartbeat: true }:
                    return true;
                case ErrorNames.BranchFailed when error.FromBranch:
                    return true;
            }
        }

        return false;
    }

    /// <summary>States.Runtime ends the execution whatever the Retry and Catch fields say.</summary>
    public static bool IsTerminal(StatesException error) => error.Error == ErrorNames.Runtime;

    /// <summary>Load-time rule: States.ALL must be the only name of the last retrier/catcher.</summary>
    public static string? CheckAllPlacement(IReadOnlyList<string> errorEquals, bool isLast) =>
        errorEquals.Contains(ErrorNames.All) && (errorEquals.Count != 1 || !isLast)
            ? "States.ALL must appear alone in ErrorEquals and only in the last retrier/catcher"
            : null;
}
