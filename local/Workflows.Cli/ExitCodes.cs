namespace Workflows.Cli;

/// <summary>The tool's exit codes. Scripts depend on them: never renumber, only add.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (for run: the execution SUCCEEDED).</summary>
    public const int Success = 0;

    /// <summary>The execution FAILED or TIMED_OUT, or the service answered a call with an error.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments, a missing or unreadable file, invalid JSON input, or an invalid definition.</summary>
    public const int BadUsage = 2;

    /// <summary>A fault in the tool itself.</summary>
    public const int InternalError = 3;

    /// <summary>
    /// teardown found nothing to retire: every cluster named is already gone or never existed (a mistyped
    /// identifier, a wrong Region). --ok-if-gone makes this 0 for scripts that only want it gone.
    /// </summary>
    public const int NothingToRetire = 4;

    /// <summary>
    /// Interrupted (Ctrl-C, SIGINT or SIGTERM): the run was stopped, what it had done so far was saved, and any
    /// clusters it had made were reported (128 + SIGINT, as shells report an interrupted command).
    /// </summary>
    public const int Interrupted = 130;
}
