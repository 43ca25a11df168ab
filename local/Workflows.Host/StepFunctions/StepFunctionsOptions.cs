using Workflows.Engine.Tasks;
using Workflows.Engine.Time;

namespace Workflows.Host.StepFunctions;

/// <summary>What the local Step Functions service runs executions with and where it keeps them.</summary>
public sealed record StepFunctionsOptions
{
    public string Region { get; init; } = "us-east-1";

    public string Account { get; init; } = "123456789012";

    /// <summary>Where machines, executions and histories are kept across restarts; null = in memory only.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// Set: executions run on this virtual clock, one at a time in start order (Inferred: one shared virtual clock
    /// cannot jump for one execution while another waits on real I/O). Null: on <see cref="Time"/>, concurrently.
    /// </summary>
    public VirtualClock? VirtualClock { get; init; }

    /// <summary>Without a virtual clock: the time executions wait on (wall time, or a <see cref="ScaledTimeProvider"/>).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The functions Lambda task states call (function ARNs as the template binds them).</summary>
    public LambdaFunctionRegistry? Lambda { get; init; }

    /// <summary>Further task integrations, consulted before Lambda and the engine's own event bus.</summary>
    public IReadOnlyList<ITaskInvoker> TaskInvokers { get; init; } = [];

    /// <summary>Where events:putEvents tasks put entries when no invoker claims them.</summary>
    public LocalEventBus? EventBus { get; init; }

    /// <summary>Seeds execution names (when none is given) and each execution's engine.</summary>
    public int? Seed { get; init; }
}
