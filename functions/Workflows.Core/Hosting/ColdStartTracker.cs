namespace Workflows.Core.Hosting;

/// <summary>Says whether an invocation is the first of its process (Powertools' <c>cold_start</c>).</summary>
public sealed class ColdStartTracker
{
    private int _invoked;

    /// <summary>The process-wide tracker: a Lambda execution environment is one process.</summary>
    public static ColdStartTracker Process { get; } = new();

    /// <summary>True exactly once: for the first caller.</summary>
    public bool Next() => Interlocked.Exchange(ref _invoked, 1) == 0;
}
