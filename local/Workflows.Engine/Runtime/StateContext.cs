using System.Text.Json.Nodes;
using Workflows.Engine.Paths;
using Workflows.Engine.States;

namespace Workflows.Engine.Runtime;

/// <summary>One entry into a state: when it happened and how many retries it has made so far.</summary>
internal sealed class StateContext(Fiber fiber, State state, DateTimeOffset enteredTime)
{
    public Fiber Fiber { get; } = fiber;

    public State State { get; } = state;

    public DateTimeOffset EnteredTime { get; } = enteredTime;

    public int RetryCount { get; set; }

    public ExecutionRun Run => Fiber.Run;

    public PathScope Scope(JsonNode? input, JsonObject? mapItem = null) => new(input, this, mapItem, Run.Random);

    /// <summary>The context object ($$) as it stands now; built only when a path reads it.</summary>
    public JsonObject BuildContext(JsonObject? mapItem) =>
        Fiber.Context(State.Name, EnteredTime, State is RetryableState ? RetryCount : null, mapItem);
}

/// <summary>
/// What a state produced and where to go next (null: the end of this machine or branch). A struct, returned through
/// ValueTask: most states finish synchronously, and two allocations per transition were measurable.
/// </summary>
internal readonly record struct StateOutcome(JsonNode? Output, string? Next);
