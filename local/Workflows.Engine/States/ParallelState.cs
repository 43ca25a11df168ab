using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>
/// Runs every branch concurrently (in virtual time) on the same input; the result is the array of branch outputs
/// in branch order. The first failing branch stops the others and fails the state with that branch's error.
/// </summary>
public sealed class ParallelState : RetryableState
{
    private static readonly string[] Fields =
    [
        "Type", "Comment", "Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
        "Retry", "Catch", "Branches", "QueryLanguage", "Assign",
    ];

    private readonly List<StateMachineBody> _branches = [];

    internal ParallelState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader)
    {
        CheckFields(json, reader, Fields, Unsupported, "Arguments", "Output");
        var branches = reader.Array(json, "Branches", required: true);
        if (branches is not null && branches.Count == 0)
        {
            reader.Problem("Branches", "must hold at least one branch");
        }

        for (var i = 0; i < (branches?.Count ?? 0); i++)
        {
            if (branches![i] is JsonObject b)
            {
                reader.CheckFields(b, ["StartAt", "States", "Comment", "QueryLanguage"]);
                _branches.Add(StateMachineBody.Load(b, reader, $"{name}.Branches[{i}]"));
            }
            else
            {
                reader.Problem($"Branches[{i}]", "must be an object with StartAt and States");
            }
        }
    }

    public override string Type => "Parallel";

    internal override string EnteredEvent => HistoryEventType.ParallelStateEntered;

    internal override string? ExitedEvent => HistoryEventType.ParallelStateExited;

    internal override IEnumerable<StateMachineBody> ChildBodies() => _branches;

    private protected override async Task<JsonNode?> AttemptAsync(StateContext context, JsonNode? rawInput)
    {
        var input = EffectiveInput(context, rawInput);
        var fiber = context.Fiber;
        fiber.Record(HistoryEventType.ParallelStateStarted);
        var results = await ConcurrentRunner.RunAllAsync(
            fiber,
            _branches.Count,
            _branches.Count,
            (child, i) => BodyRunner.RunAsync(_branches[i], input?.DeepClone(), child),
            onFailure: null);
        if (results.Failure is { } failure)
        {
            fiber.Record(HistoryEventType.ParallelStateFailed, new JsonObject { ["error"] = failure.Error, ["cause"] = failure.Cause });
            throw failure.AsBranchFailure();
        }

        fiber.Record(HistoryEventType.ParallelStateSucceeded);
        return Finish(context, rawInput, new JsonArray(results.Outputs.Select(o => o?.DeepClone()).ToArray()));
    }
}
