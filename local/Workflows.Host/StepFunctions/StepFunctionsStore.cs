using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Host.StepFunctions;

/// <summary>
/// The service's files in the state directory: <c>stepfunctions/state-machines.json</c> and one file per execution
/// under <c>stepfunctions/executions/</c> holding its description and its whole history. Each file is written beside
/// and moved over, so a crash leaves the previous version, never half a file.
/// </summary>
internal sealed class StepFunctionsStore
{
    private readonly string? _root;
    private readonly Lock _gate = new();

    public StepFunctionsStore(string? stateDirectory) =>
        _root = stateDirectory is null ? null : Path.Combine(stateDirectory, "stepfunctions");

    private string MachinesFile => Path.Combine(_root!, "state-machines.json");

    private string ExecutionsDirectory => Path.Combine(_root!, "executions");

    /// <exception cref="InvalidDataException">A file is not one this service wrote; its path is named.</exception>
    public (List<StateMachineRecord> Machines, List<ExecutionRecord> Executions) Load()
    {
        if (_root is null || !Directory.Exists(_root))
        {
            return ([], []);
        }

        var machines = new List<StateMachineRecord>();
        if (File.Exists(MachinesFile))
        {
            foreach (var node in Read(MachinesFile) as JsonArray ?? throw Corrupt(MachinesFile, "not a JSON array"))
            {
                machines.Add(MachineFrom(node as JsonObject ?? throw Corrupt(MachinesFile, "an entry is not an object"), MachinesFile));
            }
        }

        var executions = new List<ExecutionRecord>();
        if (Directory.Exists(ExecutionsDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(ExecutionsDirectory, "*.json").Order(StringComparer.Ordinal))
            {
                executions.Add(ExecutionFrom(Read(file) as JsonObject ?? throw Corrupt(file, "not a JSON object"), file));
            }
        }

        return (machines, executions);
    }

    public void SaveMachines(IEnumerable<StateMachineRecord> machines)
    {
        if (_root is null)
        {
            return;
        }

        var array = new JsonArray([.. machines.Select(m => (JsonNode)new JsonObject
        {
            ["arn"] = m.Arn,
            ["name"] = m.Name,
            ["type"] = m.Type,
            ["definition"] = m.Definition,
            ["roleArn"] = m.RoleArn,
            ["creationDate"] = Stamp(m.CreationDate),
            ["updateDate"] = m.UpdateDate is { } u ? Stamp(u) : null,
            ["revisionId"] = m.RevisionId,
            ["loggingConfiguration"] = m.LoggingConfiguration?.DeepClone(),
            ["tracingConfiguration"] = m.TracingConfiguration?.DeepClone(),
            ["tags"] = new JsonObject([.. m.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
        })]);
        Write(MachinesFile, array);
    }

    /// <summary>Writes the execution's file; call with the record's lock held so the snapshot is consistent.</summary>
    public void SaveExecution(ExecutionRecord e)
    {
        if (_root is null)
        {
            return;
        }

        var o = new JsonObject
        {
            ["executionArn"] = e.Arn,
            ["stateMachineArn"] = e.StateMachineArn,
            ["stateMachineName"] = e.StateMachineName,
            ["name"] = e.Name,
            ["type"] = e.Type,
            ["input"] = e.Input,
            ["traceHeader"] = e.TraceHeader,
            ["status"] = e.Status,
            ["startDate"] = Stamp(e.StartDate),
            ["stopDate"] = e.StopDate is { } s ? Stamp(s) : null,
            ["output"] = e.Output,
            ["error"] = e.Error,
            ["cause"] = e.Cause,
            ["redriveCount"] = e.RedriveCount,
            ["redriveDate"] = e.RedriveDate is { } r ? Stamp(r) : null,
            ["definition"] = e.Definition,
            ["roleArn"] = e.RoleArn,
            ["stateMachineUpdateDate"] = Stamp(e.StateMachineUpdateDate),
            ["revisionId"] = e.RevisionId,
            ["events"] = new JsonArray([.. e.Events.Select(x => (JsonNode)x.DeepClone())]),
        };
        Write(Path.Combine(ExecutionsDirectory, FileName(e.StateMachineArn, e.Name)), o);
    }

    // One file per (machine, name): a redrive keeps its execution's file, the ARN is the same.
    private static string FileName(string machineArn, string name) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(machineArn + "\n" + name)))[..32] + ".json";

    private void Write(string path, JsonNode document)
    {
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".tmp";
            File.WriteAllText(temporary, document.ToJsonString() + "\n");
            File.Move(temporary, path, overwrite: true);
        }
    }

    private static JsonNode? Read(string path)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw Corrupt(path, e.Message);
        }
    }

    private static InvalidDataException Corrupt(string path, string why) =>
        new($"'{path}' is not a file the local Step Functions service wrote ({why}); move it aside to start without it");

    private static string Stamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static StateMachineRecord MachineFrom(JsonObject o, string file)
    {
        try
        {
            var m = new StateMachineRecord
            {
                Arn = Text(o, "arn")!,
                Name = Text(o, "name")!,
                Type = Text(o, "type")!,
                Definition = Text(o, "definition")!,
                RoleArn = Text(o, "roleArn")!,
                CreationDate = Date(o, "creationDate")!.Value,
                UpdateDate = Date(o, "updateDate"),
                RevisionId = Text(o, "revisionId"),
                LoggingConfiguration = o["loggingConfiguration"]?.DeepClone() as JsonObject,
                TracingConfiguration = o["tracingConfiguration"]?.DeepClone() as JsonObject,
            };
            foreach (var (key, value) in o["tags"] as JsonObject ?? [])
            {
                m.Tags.Add(KeyValuePair.Create(key, value?.GetValue<string>() ?? string.Empty));
            }

            return m;
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
        {
            throw Corrupt(file, e.Message);
        }
    }

    private static ExecutionRecord ExecutionFrom(JsonObject o, string file)
    {
        try
        {
            var e = new ExecutionRecord
            {
                Arn = Text(o, "executionArn")!,
                StateMachineArn = Text(o, "stateMachineArn")!,
                StateMachineName = Text(o, "stateMachineName")!,
                Name = Text(o, "name")!,
                Type = Text(o, "type")!,
                Input = Text(o, "input")!,
                TraceHeader = Text(o, "traceHeader"),
                Status = Text(o, "status")!,
                StartDate = Date(o, "startDate")!.Value,
                StopDate = Date(o, "stopDate"),
                Output = Text(o, "output"),
                Error = Text(o, "error"),
                Cause = Text(o, "cause"),
                RedriveCount = o["redriveCount"]?.GetValue<int>() ?? 0,
                RedriveDate = Date(o, "redriveDate"),
                Definition = Text(o, "definition")!,
                RoleArn = Text(o, "roleArn")!,
                StateMachineUpdateDate = Date(o, "stateMachineUpdateDate")!.Value,
                RevisionId = Text(o, "revisionId"),
            };
            foreach (var x in o["events"] as JsonArray ?? [])
            {
                e.Events.Add((JsonObject)x!.DeepClone());
            }

            if (e.Arn is null || e.Name is null || e.Status is null || e.Definition is null)
            {
                throw Corrupt(file, "a required member is missing");
            }

            return e;
        }
        catch (Exception x) when (x is InvalidOperationException or NullReferenceException or FormatException or InvalidCastException)
        {
            throw Corrupt(file, x.Message);
        }
    }

    private static string? Text(JsonObject o, string name) => o[name]?.GetValue<string>();

    private static DateTimeOffset? Date(JsonObject o, string name) =>
        Text(o, name) is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;
}
