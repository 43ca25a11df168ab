using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Runtime;

/// <summary>Walks the states of a machine, a Parallel branch or a Map iteration from StartAt to an end.</summary>
internal static class BodyRunner
{
    public const int PayloadLimitBytes = 262_144;

    public static async Task<JsonNode?> RunAsync(StateMachineBody body, JsonNode? input, Fiber fiber, string? startAt = null)
    {
        // A redrive resumes at the state that failed instead of StartAt.
        var name = startAt ?? body.StartAt;
        // The payload last measured for the size limit. A state's output is the next state's input, and state data
        // is never modified in place, so the same node need not be measured twice.
        JsonNode? measured = null;
        var hasMeasured = false;
        while (true)
        {
            fiber.Token.ThrowIfCancellationRequested();
            var state = body.States[name];
            if (!hasMeasured || !ReferenceEquals(measured, input))
            {
                CheckSize(input, state.Name, "input");
            }

            var context = new StateContext(fiber, state, fiber.Now);
            // History keeps the node, not its text: the details are serialised when someone reads them.
            var entered = fiber.RecordState(state.EnteredEvent, state.Name, StatePayload.Input, input);
            context.EnteredEventId = entered?.Id ?? 0;
            StateOutcome outcome;
            try
            {
                outcome = await state.ExecuteAsync(context, input);
            }
            catch (StatesRuntime e) when (entered is not null && !e.Located)
            {
                throw e.Locate(state.Name, entered.Id);
            }

            // Variables assigned by the state take effect as it exits: every reference within the state read the
            // values from its entry (AWS: all of an Assign is evaluated before any value is stored).
            if (context.PendingAssign is { } assigned)
            {
                fiber.Variables.SetAll(assigned);
            }

            if (!ReferenceEquals(outcome.Output, input))
            {
                CheckSize(outcome.Output, state.Name, "output");
            }

            measured = outcome.Output;
            hasMeasured = true;
            if (state.ExitedEvent is { } exited)
            {
                fiber.RecordState(exited, state.Name, StatePayload.Output, outcome.Output);
            }

            if (outcome.Next is null)
            {
                return outcome.Output;
            }

            input = outcome.Output;
            name = outcome.Next;
        }
    }

    /// <summary>A state's input or output over the limit: terminal, AWS's wording (recorded) naming the state.</summary>
    public static void CheckSize(JsonNode? payload, string where, string what)
    {
        _ = what; // which payload it was: AWS's cause does not say, so neither does ours
        if (JsonValues.Utf8Size(payload) > PayloadLimitBytes)
        {
            throw new StatesDataLimitExceeded(LimitCause(where));
        }
    }

    public static string LimitCause(string where) =>
        $"The state/task '{where}' returned a result with a size exceeding the maximum number of bytes service limit.";
}
