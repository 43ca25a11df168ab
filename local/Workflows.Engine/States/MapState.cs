using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Jsonata;
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
        "Label", "ItemBatcher", "ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
        "ItemReader", "ResultWriter",
    ];

    private static readonly Dictionary<string, string> MapUnsupported = Unsupported
        .Where(kv => !DistributedMapConfig.Fields.Contains(kv.Key) && kv.Key is not "ItemReader" and not "ResultWriter")
        .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    private readonly JsonPath? _itemsPath;
    private readonly PayloadTemplate? _itemSelector;
    private readonly StateMachineBody? _processor;
    private readonly int _maxConcurrency;
    private readonly JsonPath? _maxConcurrencyPath;
    private readonly DistributedMapConfig? _distributed;
    private readonly JsonataTemplate? _jsonataItems;
    private readonly JsonataTemplate? _jsonataItemSelector;
    private readonly JsonataTemplate? _jsonataMaxConcurrency;
    private readonly JsonataTemplate? _jsonataToleratedCount;
    private readonly JsonataTemplate? _jsonataToleratedPercentage;

    internal MapState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader)
    {
        CheckFields(json, reader, Fields, MapUnsupported, "Items", "Output");
        if (IsJsonata)
        {
            _jsonataItems = reader.JsonataField(json, "Items");
            _jsonataItemSelector = reader.JsonataField(json, "ItemSelector");
            _jsonataMaxConcurrency = reader.JsonataNumber(json, "MaxConcurrency", 0);
            _jsonataToleratedCount = reader.JsonataNumber(json, "ToleratedFailureCount", 0);
            _jsonataToleratedPercentage = reader.JsonataNumber(json, "ToleratedFailurePercentage", 0);
        }
        else
        {
            _itemsPath = reader.Path(json, "ItemsPath", reference: true);
            _itemSelector = reader.Template(json, "ItemSelector");
            if (json.ContainsKey("ItemSelector") && json.ContainsKey("Parameters"))
            {
                reader.Problem("Parameters", "ItemSelector and the legacy Parameters are mutually exclusive");
            }

            _maxConcurrency = reader.Integer(json, "MaxConcurrency", 0) ?? 0;
            _maxConcurrencyPath = reader.Path(json, "MaxConcurrencyPath", reference: true);
        }

        string? executionType = null;
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
            executionType = CheckProcessorConfig(body, reader, field);
            _processor = StateMachineBody.Load(body, reader, $"{name}.{field}");
        }
        else
        {
            reader.Problem(hasIterator ? "Iterator" : "ItemProcessor", "must be an object with StartAt and States");
        }

        _distributed = DistributedMapConfig.Load(IsJsonata ? ForDistributedConfig(json, reader, executionType) : json, reader, executionType);
    }

    /// <summary>
    /// The fields DistributedMapConfig reads, for a JSONata Map: the tolerated thresholds are read here (they may be
    /// expressions). AWS accepts them on an inline JSONata Map too (recorded), where nothing can fail tolerably, so
    /// there they are evaluated and checked but have no effect. On a Distributed Map constant thresholds are kept;
    /// expression thresholds there are refused (not implemented).
    /// </summary>
    private static JsonObject ForDistributedConfig(JsonObject json, DefinitionReader reader, string? executionType)
    {
        var copy = (JsonObject)json.DeepClone();
        foreach (var field in new[] { "ToleratedFailureCount", "ToleratedFailurePercentage" })
        {
            if (!copy.TryGetPropertyValue(field, out var v))
            {
                continue;
            }

            var isExpression = JsonValues.TryGetString(v, out var s) && JsonataTemplate.IsExpression(s);
            if (executionType is not null && isExpression)
            {
                reader.Problem(field, "a JSONata expression here is not supported by this engine in a Distributed Map (give a number)");
            }

            if (executionType is null || isExpression)
            {
                copy.Remove(field);
            }
        }

        return copy;
    }

    public override string Type => "Map";

    internal override string EnteredEvent => HistoryEventType.MapStateEntered;

    internal override string? ExitedEvent => HistoryEventType.MapStateExited;

    internal override IEnumerable<StateMachineBody> ChildBodies() => _processor is null ? [] : [_processor];

    private protected override async Task<JsonNode?> AttemptAsync(StateContext context, JsonNode? rawInput)
    {
        JsonNode? effective;
        JsonArray items;
        int limit;
        if (IsJsonata)
        {
            effective = rawInput;
            (items, limit) = JsonataItems(context, rawInput);
        }
        else
        {
            effective = InputPath.Apply(rawInput, "InputPath", context);
            JsonNode? itemsNode = effective;
            if (_itemsPath is not null && !context.TryRead(_itemsPath, effective, out itemsNode))
            {
                throw new StatesRuntime($"Invalid ItemsPath '{_itemsPath.Text}': the path matches nothing in the input");
            }

            items = itemsNode as JsonArray
                ?? throw new StatesRuntime($"The ItemsPath must point to a JSON array, got {JsonValues.ToJson(itemsNode)}");
            limit = ReadMaxConcurrency(context, effective);
        }

        if (_distributed is not null)
        {
            return await RunDistributedAsync(context, rawInput, effective, items, limit);
        }

        var fiber = context.Fiber;
        fiber.Record(HistoryEventType.MapStateStarted, new JsonObject { ["length"] = items.Count });
        var results = await ConcurrentRunner.RunAllAsync(
            fiber,
            items.Count,
            limit == 0 ? items.Count : limit,
            async (child, i) =>
            {
                var itemInput = SelectItem(context, effective, items, i);
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

    /// <summary>A JSONata Map's items (Items, default the state input) and MaxConcurrency; the thresholds are checked.</summary>
    private (JsonArray Items, int Limit) JsonataItems(StateContext context, JsonNode? input)
    {
        var scope = JsonataScope.OnInput(context, input);
        JsonArray items;
        if (_jsonataItems is null)
        {
            // AWS's wording (recorded).
            items = input as JsonArray ?? throw scope.Fail($"Map state input must be an array but was: {JsonValues.ToJson(input)}");
        }
        else
        {
            var value = _jsonataItems.Evaluate(scope);
            items = value as JsonArray
                ?? throw scope.Fail($"The JSONata expression '{_jsonataItems.ExpressionText}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{TypeName(value)}' for value: {JsonValues.ToJson(value)}");
        }

        var limit = JsonataInteger.Read(_jsonataMaxConcurrency, scope, "MaxConcurrency", 0) ?? 0;
        _ = JsonataInteger.Read(_jsonataToleratedCount, scope, "ToleratedFailureCount", 0);
        _ = JsonataInteger.ReadNumber(_jsonataToleratedPercentage, scope, "ToleratedFailurePercentage", 0, 100);
        return (items, limit);
    }

    /// <summary>The JSON type name AWS's causes use.</summary>
    private static string TypeName(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        _ => value.GetValueKind() switch
        {
            System.Text.Json.JsonValueKind.String => "string",
            System.Text.Json.JsonValueKind.Number => "number",
            _ => "boolean",
        },
    };

    /// <summary>The input of item <paramref name="i"/>: its ItemSelector (or legacy Parameters) output, or the item.</summary>
    private JsonNode? SelectItem(StateContext context, JsonNode? effective, JsonArray items, int i)
    {
        var item = items[i];
        if (IsJsonata)
        {
            return _jsonataItemSelector is null
                ? item?.DeepClone()
                : _jsonataItemSelector.Evaluate(JsonataScope.OnInput(context, effective, new JsonObject { ["Index"] = i, ["Value"] = item?.DeepClone() }));
        }

        var selector = _itemSelector ?? Parameters;
        try
        {
            return selector is null
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
    }

    /// <summary>
    /// A Distributed Map: a map run whose child workflows take the (batched) items. Their failures up to the
    /// tolerated thresholds leave the run going; past them the run fails with States.ExceedToleratedFailureThreshold.
    /// The children's events are theirs, not the parent's: the parent records MapRunStarted and MapRunSucceeded or
    /// MapRunFailed (as AWS's parent history does).
    /// </summary>
    private async Task<JsonNode?> RunDistributedAsync(StateContext context, JsonNode? rawInput, JsonNode? effective, JsonArray items, int limit)
    {
        var thresholds = _distributed!.Thresholds(context, effective);
        var selected = new List<JsonNode?>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            selected.Add(SelectItem(context, effective, items, i));
        }

        var inputs = _distributed.Batch(context, effective, selected);
        var fiber = context.Fiber;
        fiber.Record(HistoryEventType.MapStateStarted, new JsonObject { ["length"] = inputs.Count });
        var (prefix, machine) = ArnParts(context);
        var label = _distributed.Label ?? Name;
        fiber.Record(HistoryEventType.MapRunStarted, new JsonObject { ["mapRunArn"] = $"{prefix}:mapRun:{machine}/{label}:{NewUuid(context)}" });

        // Each child workflow execution is named by a UUID, drawn here in item order from the seeded random so a
        // seeded run repeats whatever order the children start in.
        var childNames = Enumerable.Range(0, inputs.Count).Select(_ => NewUuid(context).ToString()).ToArray();
        var failures = 0;
        var failed = new Dictionary<int, StatesException>();
        var results = await ConcurrentRunner.RunAllAsync(
            fiber,
            inputs.Count,
            limit == 0 ? inputs.Count : limit,
            (child, i) =>
            {
                var input = inputs[i]?.DeepClone();
                child.ChildExecution = ChildContext(context, prefix, machine, label, childNames[i], input, child.Now);
                return BodyRunner.RunAsync(_processor!, input, child);
            },
            null,
            (i, e) =>
            {
                failed[i] = e;
                return DistributedMapConfig.Tolerates(thresholds, ++failures, inputs.Count);
            });
        if (results.Failure is not null)
        {
            const string cause = "The specified tolerated failure threshold was exceeded"; // Inferred wording
            var error = ErrorNames.ExceedToleratedFailureThreshold;
            fiber.Record(HistoryEventType.MapRunFailed, new JsonObject { ["error"] = error, ["cause"] = cause });
            fiber.Record(HistoryEventType.MapStateFailed, new JsonObject { ["error"] = error, ["cause"] = cause });
            throw new StatesException(error, cause);
        }

        fiber.Record(HistoryEventType.MapRunSucceeded);
        fiber.Record(HistoryEventType.MapStateSucceeded);

        // Inferred: a tolerated failure's place in the results holds its Error and Cause.
        var outputs = results.Outputs.Select((o, i) => failed.TryGetValue(i, out var f)
            ? new JsonObject { ["Error"] = f.Error, ["Cause"] = f.Cause }
            : o?.DeepClone());
        return Finish(context, rawInput, new JsonArray(outputs.ToArray()));
    }

    /// <summary>
    /// The execution ARN's "arn:partition:states:region:account" and state machine name (fallbacks where the ARN
    /// has another shape), from which the map run's and the children's ARNs are built.
    /// </summary>
    private static (string Prefix, string Machine) ArnParts(StateContext context)
    {
        var arn = context.Run.ExecutionArn;
        var marker = arn.IndexOf(":execution:", StringComparison.Ordinal);
        var prefix = marker < 0 ? "arn:aws:states:us-east-1:123456789012" : arn[..marker];
        var machine = marker < 0 ? "machine" : arn[(marker + ":execution:".Length)..].Split(':')[0];
        return (prefix, machine);
    }

    private static Guid NewUuid(StateContext context)
    {
        var bytes = new byte[16];
        context.Run.Random.NextBytes(bytes);
        return new Guid(bytes);
    }

    /// <summary>
    /// A child workflow execution's own $$.Execution and $$.StateMachine. AWS documents the child's labelled state
    /// machine ARN as arn:partition:states:region:account:stateMachine:name/label (Developer Guide, "Viewing a
    /// Distributed Map Run execution"); the child's execution ARN follows it as execution:name/label:childName.
    /// Inferred (the docs are silent): the label is Label or else the Map state's name; the child's name is a
    /// UUID; $$.StateMachine.Name is "name/label"; Input is the child's (batched) input; StartTime is when the
    /// child starts; RoleArn is the parent's; RedriveCount is 0 for a STANDARD child and absent for EXPRESS.
    /// </summary>
    private ChildExecutionContext ChildContext(
        StateContext context, string prefix, string machine, string label, string childName, JsonNode? input, DateTimeOffset start)
    {
        var execution = new JsonObject
        {
            ["Id"] = $"{prefix}:execution:{machine}/{label}:{childName}",
            ["Input"] = input?.DeepClone(),
            ["Name"] = childName,
            ["RoleArn"] = context.Run.ExecutionContext["RoleArn"]?.DeepClone(),
            ["StartTime"] = JsonValues.FormatTimestamp(start),
        };
        if (_distributed!.ExecutionType == "STANDARD")
        {
            execution["RedriveCount"] = 0;
        }

        var stateMachine = new JsonObject
        {
            ["Id"] = $"{prefix}:stateMachine:{machine}/{label}",
            ["Name"] = $"{machine}/{label}",
        };
        return new ChildExecutionContext(execution, stateMachine);
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

    /// <summary>Checks ProcessorConfig; returns the ExecutionType of a DISTRIBUTED processor, null for INLINE.</summary>
    private static string? CheckProcessorConfig(JsonObject body, DefinitionReader reader, string field)
    {
        if (!body.TryGetPropertyValue("ProcessorConfig", out var config))
        {
            return null;
        }

        if (config is not JsonObject c)
        {
            reader.Problem($"{field}.ProcessorConfig", "must be an object");
            return null;
        }

        string? mode = null;
        string? executionType = null;
        foreach (var (key, value) in c)
        {
            if (key == "Mode")
            {
                mode = JsonValues.TryGetString(value, out var m) ? m : null;
                if (mode is not "INLINE" and not "DISTRIBUTED")
                {
                    reader.Problem($"{field}.ProcessorConfig.Mode", "must be INLINE or DISTRIBUTED");
                }
            }
            else if (key == "ExecutionType")
            {
                executionType = JsonValues.TryGetString(value, out var t) ? t : null;
                if (executionType is not "STANDARD" and not "EXPRESS")
                {
                    reader.Problem($"{field}.ProcessorConfig.ExecutionType", "must be STANDARD or EXPRESS");
                }
            }
            else
            {
                reader.Problem($"{field}.ProcessorConfig.{key}", "unknown field");
            }
        }

        if (mode == "DISTRIBUTED")
        {
            if (executionType is null)
            {
                reader.Problem($"{field}.ProcessorConfig.ExecutionType", "is required when Mode is DISTRIBUTED");
            }

            return executionType ?? "STANDARD";
        }

        if (executionType is not null)
        {
            reader.Problem($"{field}.ProcessorConfig.ExecutionType", "only allowed when Mode is DISTRIBUTED");
        }

        return null;
    }
}
