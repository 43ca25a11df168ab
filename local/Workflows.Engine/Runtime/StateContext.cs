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

    /// <summary>The id of the state's …StateEntered event (0 if it was not recorded), for AWS's States.Runtime causes.</summary>
    public long EnteredEventId { get; set; }

    public ExecutionRun Run => Fiber.Run;

    public PathScope Scope(JsonNode? input, JsonObject? mapItem = null) => new(input, this, mapItem, Run.Random);

    /// <summary>
    /// Evaluates a path where it reads: <c>$</c> on <paramref name="input"/>, <c>$$</c> on the context object, and
    /// <c>$name</c> on the variable's value as it stood when the state was entered.
    /// </summary>
    public bool TryRead(JsonPath path, JsonNode? input, out JsonNode? value)
    {
        if (path.Variable is { } name)
        {
            if (!Fiber.Variables.TryGet(name, out var root))
            {
                value = null;
                return false;
            }

            return path.TryEvaluate(root, out value);
        }

        return path.TryEvaluate(path.IsContext ? BuildContext(null) : input, out value);
    }

    /// <summary>The values of this state's Assign, stored when the state finishes (see BodyRunner).</summary>
    public JsonObject? PendingAssign { get; set; }

    /// <summary>The context object ($$) as it stands now; built only when a path reads it.</summary>
    public JsonObject BuildContext(JsonObject? mapItem) =>
        Fiber.Context(State.Name, EnteredTime, State is RetryableState ? RetryCount : null, mapItem);
}

/// <summary>
/// What a state produced and where to go next (null: the end of this machine or branch). A struct, returned through
/// ValueTask: most states finish synchronously, and two allocations per transition were measurable.
/// </summary>
internal readonly record struct StateOutcome(JsonNode? Output, string? Next);
