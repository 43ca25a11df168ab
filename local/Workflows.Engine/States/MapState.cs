using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Paths;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>
/// Inline Map: runs the ItemProcessor (or legacy Iterator) once per element of ItemsPath, at most MaxConcurrency at
/// a time (0 = no limit), each on its ItemSelector output; results come back in item order.
/// </summary>
public sealed class MapState : RetryableState
{
    private static readonly string[] Fields =
    [
        "Type", "Comment", "Next", "End", "InputPath", "OutputPath", "ItemsPath", "ItemSelector", "Parameters", "Iterator",
        "ItemProcessor", "MaxConcurrency", "MaxConcurrencyPath", "ResultSelector", "ResultPath", "Retry", "Catch", "QueryLanguage", "Assign",
    ];

    private readonly JsonPath? _itemsPath;
    private readonly PayloadTemplate? _itemSelector;
    private readonly StateMachineBody? _processor;
    private readonly int _maxConcurrency;
    private readonly JsonPath? _maxConcurrencyPath;

    internal MapState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader)
    {
        reader.CheckFields(json, Fields, Unsupported);
        _itemsPath = reader.Path(json, "ItemsPath", reference: true);
        _itemSelector = reader.Template(json, "ItemSelector");
        if (json.ContainsKey("ItemSelector") && json.ContainsKey("Parameters"))
        {
            reader.Problem("Parameters", "ItemSelector and the legacy Parameters are mutually exclusive");
        }

        _maxConcurrency = reader.Integer(json, "MaxConcurrency", 0) ?? 0;
        _maxConcurrencyPath = reader.Path(json, "MaxConcurrencyPath", reference: true);
        var hasIterator = json.TryGetPropertyValue("Iterator", out var iterator);
        var hasProcessor = json.TryGetPropertyValue("ItemProcessor", out var processor);
        if (hasIterator == hasProcessor)
        {
            reader.Problem("ItemProcessor", "exactly one of ItemProcessor or the legacy Iterator is required");
        }
        else if ((hasIterator ? iterator : processor) is JsonObject body)
        {
            var field = hasIterator ? "Iterator" : "ItemProcessor";
            reader.CheckFields(body, ["StartAt", "States", "Comment", "ProcessorConfig", "QueryLanguage"]);
            CheckProcessorConfig(body, reader, field);
            _processor = StateMachineBody.Load(body, reader, $"{name}.{field}");
        }
        else
        {
            reader.Problem(hasIterator ? "Iterator" : "ItemProcessor", "must be an object with StartAt and States");
        }
    }

    public override string Type => "Map";

    internal override string EnteredEvent => HistoryEventType.MapStateEntered;

    internal override string? ExitedEvent => HistoryEventType.MapStateExited;

    internal override IEnumerable<StateMachineBody> ChildBodies() => _processor is null ? [] : [_processor];

    private protected override async Task<JsonNode?> AttemptAsync(StateContext context, JsonNode? rawInput)
    {
        var effective = InputPath.Apply(rawInput, "InputPath", context);
        JsonNode? itemsNode = effective;
        if (_itemsPath is not null && !context.TryRead(_itemsPath, effective, out itemsNode))
        {
            throw new StatesRuntime($"Invalid ItemsPath '{_itemsPath.Text}': the path matches nothing in the input");
        }

        if (itemsNode is not JsonArray items)
        {
            throw new StatesRuntime($"The ItemsPath must point to a JSON array, got {JsonValues.ToJson(itemsNode)}");
        }

        var limit = ReadMaxConcurrency(context, effective);
        var fiber = context.Fiber;
        fiber.Record(HistoryEventType.MapStateStarted, new JsonObject { ["length"] = items.Count });
        var selector = _itemSelector ?? Parameters;
        var results = await ConcurrentRunner.RunAllAsync(
            fiber,
            items.Count,
            limit == 0 ? items.Count : limit,
            async (child, i) =>
            {
                var item = items[i];
                JsonNode? itemInput;
                try
                {
                    itemInput = selector is null
                        ? item?.DeepClone()
                        : selector.Resolve(
                            context.Scope(effective, new JsonObject { ["Index"] = i, ["Value"] = item?.DeepClone() }),
                            m => new StatesRuntime(m));
                }
                catch (StatesRuntime e) when (context.EnteredEventId > 0)
                {
                    // The selector belongs to the Map state, though it runs per iteration: AWS's cause names the Map.
                    throw e.Locate(Name, context.EnteredEventId);
                }

                child.Record(HistoryEventType.MapIterationStarted, Iteration(i));
                var output = await BodyRunner.RunAsync(_processor!, itemInput, child);
                child.Record(HistoryEventType.MapIterationSucceeded, Iteration(i));
                return output;
            },
            (child, i, _) =>
            {
                child.Record(HistoryEventType.MapIterationFailed, Iteration(i));
                return Task.CompletedTask;
            });
        if (results.Failure is { } failure)
        {
            fiber.Record(HistoryEventType.MapStateFailed, new JsonObject { ["error"] = failure.Error, ["cause"] = failure.Cause });
            throw failure.AsBranchFailure();
        }

        fiber.Record(HistoryEventType.MapStateSucceeded);
        return Finish(context, rawInput, new JsonArray(results.Outputs.Select(o => o?.DeepClone()).ToArray()));
    }

    private JsonObject Iteration(int index) => new() { ["name"] = Name, ["index"] = index };

    private int ReadMaxConcurrency(StateContext context, JsonNode? input)
    {
        if (_maxConcurrencyPath is null)
        {
            return _maxConcurrency;
        }

        if (context.TryRead(_maxConcurrencyPath, input, out var v) && JsonValues.TryGetNumber(v, out var d) && d >= 0 && d == decimal.Truncate(d) && d <= int.MaxValue)
        {
            return (int)d;
        }

        // AWS also takes a string holding an integer (recorded: "1" runs, "NoNumber" fails).
        if (JsonValues.TryGetString(v, out var digits) && int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        // AWS's wording (recorded): a string value is shown without its quotes, anything else as JSON.
        var shown = JsonValues.TryGetString(v, out var text) ? text : JsonValues.ToJson(v);
        throw new StatesRuntime($"The MaxConcurrencyPath field refers to value \"{shown}\" which is not a valid integer: {_maxConcurrencyPath.Text}");
    }

    private static void CheckProcessorConfig(JsonObject body, DefinitionReader reader, string field)
    {
        if (!body.TryGetPropertyValue("ProcessorConfig", out var config))
        {
            return;
        }

        if (config is not JsonObject c)
        {
            reader.Problem($"{field}.ProcessorConfig", "must be an object");
            return;
        }

        foreach (var (key, value) in c)
        {
            if (key == "Mode")
            {
                var mode = JsonValues.TryGetString(value, out var m) ? m : null;
                if (mode == "DISTRIBUTED")
                {
                    reader.Problem($"{field}.ProcessorConfig.Mode", "DISTRIBUTED is not supported by this engine (INLINE only)");
                }
                else if (mode != "INLINE")
                {
                    reader.Problem($"{field}.ProcessorConfig.Mode", "must be INLINE");
                }
            }
            else if (key == "ExecutionType")
            {
                reader.Problem($"{field}.ProcessorConfig.ExecutionType", "not supported by this engine (Distributed Map only)");
            }
            else
            {
                reader.Problem($"{field}.ProcessorConfig.{key}", "unknown field");
            }
        }
    }
}
