using Workflows.Engine.History;
using Workflows.Engine.Tasks;
using Workflows.Engine.Time;

namespace Workflows.Engine;

/// <summary>How an <see cref="AslEngine"/> runs executions.</summary>
public sealed class EngineOptions
{
    public ClockMode ClockMode { get; init; } = ClockMode.Virtual;

    /// <summary>
    /// With <see cref="ClockMode.RealTime"/>: the time waits run on (TimeProvider.System if null). A host passes a
    /// scaled clock so a 10-minute Wait really waits, only faster.
    /// </summary>
    public TimeProvider? RealTimeClock { get; init; }

    /// <summary>
    /// A top-level state to begin at instead of StartAt: how a redrive resumes from the state that failed. The
    /// execution's input is then that state's input. Null = StartAt.
    /// </summary>
    public string? StartAt { get; init; }

    /// <summary>$$.Execution.RedriveCount of the run (Standard only): 0 for a first run, n for the n-th redrive.</summary>
    public int RedriveCount { get; init; }

    /// <summary>A virtual clock to share with task implementations (e.g. an in-process emulator); created if null.</summary>
    public VirtualClock? Clock { get; init; }

    /// <summary>Seeds the RNG behind retry jitter, States.UUID, States.MathRandom and default execution names.</summary>
    public int? Seed { get; init; }

    public string Region { get; init; } = "us-east-1";

    public string Account { get; init; } = "123456789012";

    /// <summary>Used for $$.StateMachine and the execution ARN, and to pick the machine in a mock config.</summary>
    public string StateMachineName { get; init; } = "StateMachine";

    public string? RoleArn { get; init; }

    /// <summary>Standard (default) or Express: the execution ARN's shape and the context object follow it.</summary>
    public ExecutionType ExecutionType { get; init; } = ExecutionType.Standard;

    /// <summary>Invokers consulted in order before the built-in Lambda and event bus invokers.</summary>
    public IReadOnlyList<ITaskInvoker> TaskInvokers { get; init; } = [];

    public LambdaFunctionRegistry? Lambda { get; init; }

    public LocalEventBus? EventBus { get; init; }

    public MockConfig? MockConfig { get; init; }

    /// <summary>The test case of <see cref="MockConfig"/> to apply (under <see cref="StateMachineName"/>).</summary>
    public string? TestCase { get; init; }

    /// <summary>
    /// Told of each history event as it is recorded, in order, so a caller can show progress while the execution
    /// runs. It is called on the execution's thread while the history is locked: keep it short and never block.
    /// </summary>
    public Action<HistoryEvent>? OnHistoryEvent { get; init; }
}
