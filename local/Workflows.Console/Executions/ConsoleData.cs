using System.Text.Json.Nodes;
using Workflows.Host.AwsJson;
using Workflows.Host.StepFunctions;

namespace Workflows.WebConsole.Executions;

/// <summary>A state machine as the console lists it.</summary>
public sealed record MachineSummary(string Name, string Arn, string Type, int ExecutionCount);

/// <summary>An execution as the console lists and shows it.</summary>
public sealed record ExecutionSummary(
    string Arn,
    string Name,
    string MachineName,
    string MachineArn,
    string Status,
    DateTimeOffset StartDate,
    DateTimeOffset? StopDate,
    int RedriveCount,
    bool Redrivable,
    string? RedriveReason,
    string? Input,
    string? Output,
    string? Error,
    string? Cause);

/// <summary>
/// The console reads and acts through the Step Functions service's own operations (ListStateMachines,
/// DescribeExecution, StartExecution, StopExecution, RedriveExecution...), in-process: exactly the code paths an AWS
/// client's request takes, minus the HTTP and the signature.
/// </summary>
public sealed class ConsoleData(StepFunctionsService service)
{
    public StepFunctionsService Service { get; } = service;

    /// <summary>The clock executions run on (virtual, scaled or the wall clock), for the duration of a running one.</summary>
    public TimeProvider Clock => (TimeProvider?)Service.Options.VirtualClock ?? Service.Options.Time;

    public async Task<IReadOnlyList<(MachineSummary Machine, IReadOnlyList<ExecutionSummary> Executions)>> MachinesAsync(CancellationToken cancellationToken)
    {
        var machines = new List<(MachineSummary, IReadOnlyList<ExecutionSummary>)>();
        string? token = null;
        do
        {
            var page = await CallAsync("ListStateMachines", token is null ? [] : new JsonObject { ["nextToken"] = token }, cancellationToken);
            foreach (var m in page["stateMachines"]?.AsArray() ?? [])
            {
                var arn = m!["stateMachineArn"]!.GetValue<string>();
                var executions = await ExecutionsAsync(arn, cancellationToken);
                machines.Add((new MachineSummary(m["name"]!.GetValue<string>(), arn, m["type"]!.GetValue<string>(), executions.Count), executions));
            }

            token = page["nextToken"]?.GetValue<string>();
        }
        while (token is not null);
        return machines;
    }

    /// <summary>The machine of this name, or null.</summary>
    public async Task<(MachineSummary Machine, string Definition)?> MachineAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var arn = Service.StateMachineArn(name);
            var described = await CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn }, cancellationToken);
            var executions = await ExecutionsAsync(arn, cancellationToken);
            return (new MachineSummary(name, arn, described["type"]!.GetValue<string>(), executions.Count), described["definition"]!.GetValue<string>());
        }
        catch (AwsJsonException e) when (e.Type is "StateMachineDoesNotExist" or "InvalidArn")
        {
            return null;
        }
    }

    /// <summary>Newest first, every page.</summary>
    public async Task<IReadOnlyList<ExecutionSummary>> ExecutionsAsync(string machineArn, CancellationToken cancellationToken)
    {
        var list = new List<ExecutionSummary>();
        string? token = null;
        var machineName = machineArn.Split(':')[^1];
        do
        {
            var request = new JsonObject { ["stateMachineArn"] = machineArn, ["maxResults"] = 1000 };
            if (token is not null)
            {
                request["nextToken"] = token;
            }

            var page = await CallAsync("ListExecutions", request, cancellationToken);
            foreach (var e in page["executions"]?.AsArray() ?? [])
            {
                list.Add(new ExecutionSummary(
                    e!["executionArn"]!.GetValue<string>(), e["name"]!.GetValue<string>(), machineName, machineArn, e["status"]!.GetValue<string>(),
                    Time(e["startDate"])!.Value, Time(e["stopDate"]), e["redriveCount"]?.GetValue<int>() ?? 0, false, null, null, null, null, null));
            }

            token = page["nextToken"]?.GetValue<string>();
        }
        while (token is not null);
        return list;
    }

    /// <summary>The execution with its machine definition (the revision it runs) and whole history, or null.</summary>
    public async Task<(ExecutionSummary Execution, string Definition, IReadOnlyList<JsonObject> Events)?> ExecutionAsync(string arn, CancellationToken cancellationToken)
    {
        JsonObject d;
        try
        {
            d = await CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = arn }, cancellationToken);
        }
        catch (AwsJsonException e) when (e.Type is "ExecutionDoesNotExist" or "InvalidArn")
        {
            return null;
        }

        var machine = await CallAsync("DescribeStateMachineForExecution", new JsonObject { ["executionArn"] = arn }, cancellationToken);
        var events = new List<JsonObject>();
        string? token = null;
        do
        {
            var request = new JsonObject { ["executionArn"] = arn, ["maxResults"] = 1000 };
            if (token is not null)
            {
                request["nextToken"] = token;
            }

            var page = await CallAsync("GetExecutionHistory", request, cancellationToken);
            events.AddRange((page["events"]?.AsArray() ?? []).OfType<JsonObject>());
            token = page["nextToken"]?.GetValue<string>();
        }
        while (token is not null);

        var machineArn = d["stateMachineArn"]!.GetValue<string>();
        var summary = new ExecutionSummary(
            arn, d["name"]!.GetValue<string>(), machineArn.Split(':')[^1], machineArn, d["status"]!.GetValue<string>(),
            Time(d["startDate"])!.Value, Time(d["stopDate"]), d["redriveCount"]?.GetValue<int>() ?? 0,
            d["redriveStatus"]?.GetValue<string>() == "REDRIVABLE", d["redriveStatusReason"]?.GetValue<string>(),
            d["input"]?.GetValue<string>(), d["output"]?.GetValue<string>(), d["error"]?.GetValue<string>(), d["cause"]?.GetValue<string>());
        return (summary, machine["definition"]!.GetValue<string>(), events);
    }

    public async Task<string> StartAsync(string machineArn, string? name, string input, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["stateMachineArn"] = machineArn, ["input"] = input };
        if (name is not null)
        {
            request["name"] = name;
        }

        var started = await CallAsync("StartExecution", request, cancellationToken);
        return started["executionArn"]!.GetValue<string>();
    }

    public Task StopAsync(string arn, CancellationToken cancellationToken) =>
        CallAsync("StopExecution", new JsonObject { ["executionArn"] = arn, ["error"] = "Console.Stopped", ["cause"] = "Stopped from the local console" }, cancellationToken);

    public Task RedriveAsync(string arn, CancellationToken cancellationToken) =>
        CallAsync("RedriveExecution", new JsonObject { ["executionArn"] = arn }, cancellationToken);

    private Task<JsonObject> CallAsync(string operation, JsonObject request, CancellationToken cancellationToken) =>
        Service.HandleAsync(operation, request, cancellationToken);

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var seconds) ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)) : null;
}
