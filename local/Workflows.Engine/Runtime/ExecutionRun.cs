using System.Text.Json.Nodes;
using Workflows.Engine.History;
using Workflows.Engine.Time;

namespace Workflows.Engine.Runtime;

/// <summary>What every state of one execution shares: clock, history, RNG, task dispatch and the $$.Execution data.</summary>
internal sealed class ExecutionRun
{
    public required ExecutionHistory History { get; init; }

    public required TimeProvider Clock { get; init; }

    public required ExecutionScheduler Scheduler { get; init; }

    public required bool IsVirtual { get; init; }

    public required Random Random { get; init; }

    public required TaskDispatcher Tasks { get; init; }

    public required string Region { get; init; }

    public required string Account { get; init; }

    public required string ExecutionArn { get; init; }

    /// <summary>$$.Execution and $$.StateMachine, fixed for the run.</summary>
    public required JsonObject ExecutionContext { get; init; }

    public required JsonObject StateMachineContext { get; init; }
}
