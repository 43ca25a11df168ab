using System.Globalization;
using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>
/// The fields only a Distributed Map has (ProcessorConfig Mode DISTRIBUTED): ExecutionType, Label, ItemBatcher and
/// the tolerated failure thresholds. Items come inline (ItemsPath); ItemReader and ResultWriter (S3) are refused.
/// </summary>
internal sealed class DistributedMapConfig
{
    private const int MaxBatchBytesLimit = 256 * 1024;

    private readonly int? _toleratedCount;
    private readonly JsonPath? _toleratedCountPath;
    private readonly decimal? _toleratedPercentage;
    private readonly JsonPath? _toleratedPercentagePath;
    private readonly bool _batched;
    private readonly int? _maxItems;
    private readonly JsonPath? _maxItemsPath;
    private readonly int? _maxBytes;
    private readonly JsonPath? _maxBytesPath;
    private readonly PayloadTemplate? _batchInput;

    private DistributedMapConfig(JsonObject json, DefinitionReader reader, string executionType)
    {
        ExecutionType = executionType;
        Label = reader.String(json, "Label");
        if (Label is not null && (Label.Length > 40 || Label.Any(c => char.IsWhiteSpace(c) || "<>{}[]?*\"#%\\^|~`$&,;:/".Contains(c, StringComparison.Ordinal) || char.IsControl(c))))
        {
            reader.Problem("Label", "at most 40 characters, without whitespace or any of <>{}[]?*\"#%\\^|~`$&,;:/");
        }

        _toleratedCount = reader.Integer(json, "ToleratedFailureCount", 0);
        _toleratedCountPath = reader.Path(json, "ToleratedFailureCountPath", reference: true);
        _toleratedPercentage = reader.Number(json, "ToleratedFailurePercentage", 0);
        if (_toleratedPercentage > 100)
        {
            reader.Problem("ToleratedFailurePercentage", "must be between 0 and 100");
        }

        _toleratedPercentagePath = reader.Path(json, "ToleratedFailurePercentagePath", reference: true);
        Exclusive(json, reader, "ToleratedFailureCount", "ToleratedFailureCountPath");
        Exclusive(json, reader, "ToleratedFailurePercentage", "ToleratedFailurePercentagePath");

        if (json.TryGetPropertyValue("ItemBatcher", out var batcherNode))
        {
            if (batcherNode is JsonObject batcher)
            {
                _batched = true;
                reader.CheckFields(batcher, ["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput"]);
                _maxItems = reader.Integer(batcher, "MaxItemsPerBatch", 1);
                _maxItemsPath = reader.Path(batcher, "MaxItemsPerBatchPath", reference: true);
                _maxBytes = reader.Integer(batcher, "MaxInputBytesPerBatch", 1);
                if (_maxBytes > MaxBatchBytesLimit)
                {
                    reader.Problem("ItemBatcher.MaxInputBytesPerBatch", "must be at most 262144 (256 KiB)");
                }

                _maxBytesPath = reader.Path(batcher, "MaxInputBytesPerBatchPath", reference: true);
                _batchInput = reader.Template(batcher, "BatchInput");
                Exclusive(batcher, reader, "MaxItemsPerBatch", "MaxItemsPerBatchPath");
                Exclusive(batcher, reader, "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath");
                if (!batcher.Any(kv => kv.Key.StartsWith("Max", StringComparison.Ordinal)))
                {
                    reader.Problem("ItemBatcher", "needs MaxItemsPerBatch(Path) or MaxInputBytesPerBatch(Path)");
                }
            }
            else
            {
                reader.Problem("ItemBatcher", "must be an object");
            }
        }
    }

    /// <summary>STANDARD or EXPRESS: the kind of the child executions (both run the same way here).</summary>
    public string ExecutionType { get; }

    public string? Label { get; }

    /// <summary>The Map-only fields of a Distributed Map; with any other mode they are refused.</summary>
    internal static readonly string[] Fields =
    [
        "Label", "ItemBatcher", "ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath",
    ];

    /// <summary>Reads the config when the processor is DISTRIBUTED; otherwise refuses its fields by name.</summary>
    internal static DistributedMapConfig? Load(JsonObject json, DefinitionReader reader, string? executionType)
    {
        foreach (var refused in new[] { "ItemReader", "ResultWriter" })
        {
            if (json.ContainsKey(refused))
            {
                reader.Problem(refused, "not supported by this engine (reading items from or writing results to S3); give the items inline through ItemsPath");
            }
        }

        if (executionType is not null)
        {
            return new DistributedMapConfig(json, reader, executionType);
        }

        foreach (var field in Fields.Where(json.ContainsKey))
        {
            reader.Problem(field, "only allowed in a Distributed Map (ItemProcessor.ProcessorConfig.Mode DISTRIBUTED)");
        }

        return null;
    }

    /// <summary>The failure thresholds, read when the Map starts; AWS's wording for bad values (recorded).</summary>
    public (int? Count, decimal? Percentage) Thresholds(StateContext context, JsonNode? input)
    {
        var count = _toleratedCount;
        if (_toleratedCountPath is not null)
        {
            context.TryRead(_toleratedCountPath, input, out var v);
            if (!TryInteger(v, out var c))
            {
                throw new StatesRuntime($"The ToleratedFailureCountPath field refers to value \"{Shown(v)}\" which is not a valid integer: {_toleratedCountPath.Text}");
            }

            count = c;
        }

        if (count < 0)
        {
            throw new StatesRuntime("ToleratedFailureCount cannot be negative.");
        }

        var percentage = _toleratedPercentage;
        if (_toleratedPercentagePath is not null)
        {
            context.TryRead(_toleratedPercentagePath, input, out var v);
            if (JsonValues.TryGetNumber(v, out var d))
            {
                percentage = d;
            }
            else if (JsonValues.TryGetString(v, out var s) && decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                percentage = parsed;
            }
            else
            {
                throw new StatesRuntime($"The ToleratedFailurePercentagePath field refers to value \"{Shown(v)}\" which is not a valid float: {_toleratedPercentagePath.Text}");
            }
        }

        if (percentage is < 0 or > 100)
        {
            throw new StatesRuntime("ToleratedFailurePercentage must be between 0 and 100.");
        }

        return (count, percentage);
    }

    /// <summary>True while the failures so far stay within both thresholds (no threshold: none is tolerated).</summary>
    public static bool Tolerates((int? Count, decimal? Percentage) thresholds, int failures, int total)
    {
        var (count, percentage) = thresholds;
        if (count is null && percentage is null)
        {
            return false;
        }

        var byCount = count is { } c && failures <= c;
        var byPercentage = percentage is { } p && total > 0 && failures * 100m / total <= p;
        return byCount || byPercentage;
    }

    /// <summary>
    /// Groups the (selected) items into batches of <c>{"BatchInput": ..., "Items": [...]}</c> when there is an
    /// ItemBatcher; otherwise returns them as they are. A batch closes at MaxItemsPerBatch items or before the
    /// Items array would pass MaxInputBytesPerBatch bytes (Inferred: an item larger than the limit goes alone).
    /// </summary>
    public List<JsonNode?> Batch(StateContext context, JsonNode? input, List<JsonNode?> items)
    {
        if (!_batched)
        {
            return items;
        }

        var maxItems = _maxItems ?? PathInteger(context, input, _maxItemsPath, "MaxItemsPerBatchPath") ?? int.MaxValue;
        var maxBytes = _maxBytes ?? PathInteger(context, input, _maxBytesPath, "MaxInputBytesPerBatchPath") ?? MaxBatchBytesLimit;
        if (maxItems < 1)
        {
            throw new StatesRuntime("MaxItemsPerBatch must be greater than 0.");
        }

        if (maxBytes < 1 || maxBytes > MaxBatchBytesLimit)
        {
            throw new StatesRuntime("MaxInputBytesPerBatch must be between 1 and 262144.");
        }

        var batchInput = _batchInput?.Resolve(context.Scope(input), m => new StatesRuntime(m));
        var batches = new List<JsonNode?>();
        var current = new JsonArray();
        var bytes = 2;
        foreach (var item in items)
        {
            var size = JsonValues.Utf8Size(item) + (current.Count > 0 ? 1 : 0);
            if (current.Count > 0 && (current.Count >= maxItems || bytes + size > maxBytes))
            {
                batches.Add(Wrap(batchInput, current));
                current = [];
                bytes = 2;
                size = JsonValues.Utf8Size(item);
            }

            current.Add(item?.DeepClone());
            bytes += size;
        }

        if (current.Count > 0)
        {
            batches.Add(Wrap(batchInput, current));
        }

        return batches;
    }

    private static JsonObject Wrap(JsonNode? batchInput, JsonArray items)
    {
        var batch = new JsonObject();
        if (batchInput is not null)
        {
            batch["BatchInput"] = batchInput.DeepClone();
        }

        batch["Items"] = items;
        return batch;
    }

    private static int? PathInteger(StateContext context, JsonNode? input, JsonPath? path, string field)
    {
        if (path is null)
        {
            return null;
        }

        context.TryRead(path, input, out var v);
        return TryInteger(v, out var n)
            ? n
            : throw new StatesRuntime($"The {field} field refers to value \"{Shown(v)}\" which is not a valid integer: {path.Text}");
    }

    /// <summary>An integer, or a string holding one (AWS takes "1", recorded for the tolerated failure paths).</summary>
    private static bool TryInteger(JsonNode? v, out int value)
    {
        if (JsonValues.TryGetNumber(v, out var d) && d == decimal.Truncate(d) && d >= int.MinValue && d <= int.MaxValue)
        {
            value = (int)d;
            return true;
        }

        value = 0;
        return JsonValues.TryGetString(v, out var s) && int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static string Shown(JsonNode? v) => JsonValues.TryGetString(v, out var text) ? text : JsonValues.ToJson(v);

    private static void Exclusive(JsonObject json, DefinitionReader reader, string a, string b)
    {
        if (json.ContainsKey(a) && json.ContainsKey(b))
        {
            reader.Problem(b, $"{a} and {b} are mutually exclusive");
        }
    }
}
