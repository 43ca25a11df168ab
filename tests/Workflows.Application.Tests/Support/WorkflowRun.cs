using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.Engine;
using Workflows.Engine.History;
using Workflows.Engine.Tasks;
using Workflows.Engine.Time;
using Workflows.Templates;

using Microsoft.Extensions.Logging.Abstractions;
using Workflows.Core.Dsql;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;

namespace Workflows.Application.Tests.Support;

/// <summary>One Lambda invocation as the history shows it (retries are separate invocations).</summary>
internal sealed record LambdaCall(string Function, JsonObject Input, DateTimeOffset Time);

/// <summary>
/// Runs the real statemachines/*.asl.json in the local engine, on a virtual clock, with the task responses of one
/// test case of Fixtures/{machine}.mocks.json (Step Functions Local's MockConfigFile format) and, for states the case
/// does not mock, the given invokers. The putEvents task is not mocked: the engine's LocalEventBus records it.
/// </summary>
internal sealed partial class WorkflowRun
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private WorkflowRun(ExecutionResult result, IReadOnlyList<LocalEvent> events)
    {
        Result = result;
        Events = events;
        Calls = result.History
            .Where(e => e.Type == HistoryEventType.LambdaFunctionScheduled)
            .Select(e => new LambdaCall(
                e.Resource![(e.Resource!.LastIndexOf(':') + 1)..],
                (JsonObject)JsonNode.Parse(e.Input!)!,
                e.Timestamp))
            .ToList();
    }

    public ExecutionResult Result { get; }

    public IReadOnlyList<LocalEvent> Events { get; }

    public IReadOnlyList<LambdaCall> Calls { get; }

    public JsonObject Output => (JsonObject)JsonNode.Parse(Result.Output ?? throw new InvalidOperationException($"no output: {Result.Error}: {Result.Cause}"))!;

    /// <summary>State names in the order they were entered (Map iterations included).</summary>
    public IReadOnlyList<string> StatesEntered =>
        Result.History.Where(e => e.Type.EndsWith("StateEntered", StringComparison.Ordinal)).Select(e => e.StateName!).ToList();

    public IEnumerable<LambdaCall> CallsTo(string function) => Calls.Where(c => c.Function == function + "Function");

    public static Task<WorkflowRun> RunAsync(string machine, string testCase, string input, params ITaskInvoker[] invokers) =>
        RunAsync(machine, testCase, input, bindFunctions: false, invokers);

    /// <param name="bindFunctions">
    /// Bind the template's functions as the local engine does for real runs (each step in-process on the generic host,
    /// found by its CodeUri), so states the case does not mock run the real function code. No DSQL is reachable:
    /// a case binds functions only to run the validation steps for real.
    /// </param>
    public static Task<WorkflowRun> RunAsync(string machine, string testCase, string input, bool bindFunctions, params ITaskInvoker[] invokers) =>
        RunAsync(machine, testCase, input, bindFunctions ? NoDsql.Instance : null, null, invokers);

    /// <param name="dsql">
    /// When given, the template's functions are bound as the local engine binds them for real runs (each step in-process
    /// on the generic host, found by its CodeUri) on these DSQL clients, so states the case does not mock run the real
    /// function code.
    /// </param>
    /// <param name="clock">The engine's clock (so a scripted DSQL can share it); a new one at <see cref="Start"/> when null.</param>
    public static async Task<WorkflowRun> RunAsync(string machine, string testCase, string input, IDsqlClientFactory? dsql, VirtualClock? clock, params ITaskInvoker[] invokers)
    {
        var engine = new AslEngine(new EngineOptions
        {
            Clock = clock ?? new VirtualClock(Start),
            Seed = 42,
            StateMachineName = machine,
            MockConfig = MockConfig.Parse(await File.ReadAllTextAsync(Repository.Fixture(machine + ".mocks.json"))),
            TestCase = testCase,
            TaskInvokers = invokers,
        });
        string definition;
        if (dsql is not null)
        {
            var template = SamTemplate.Load(Repository.TemplatePath);
            var services = new StepServices(dsql, engine.Clock, NullLoggerFactory.Instance);
            definition = TemplateBinder.Bind(template, LogicalId(machine), engine.Lambda, fn =>
            {
                var step = StepCatalog.ForCodeUri(fn.CodeUri)!.Create(services);
                return (payload, ct) => step.InvokeAsync(payload, InvocationContext.None, ct);
            }).DefinitionJson;
        }
        else
        {
            definition = Definition(machine);
        }

        var result = await engine.StartExecutionAsync(definition, input, "run-" + testCase.Replace('_', '-'));

        // A task that neither the case nor an invoker answers reaches the local Lambda service, which knows no
        // functions: that is a broken test case, not a workflow outcome.
        var unanswered = result.History.FirstOrDefault(e => e.Error == "Lambda.ResourceNotFoundException");
        unanswered.Should().BeNull($"test case {testCase} must answer every task it reaches");
        return new WorkflowRun(result, engine.EventBus.Events);
    }

    /// <summary>
    /// The definition with every ${...} replaced as the template's DefinitionSubstitutions say: !GetAtt Fn.Arn becomes
    /// the engine's synthetic ARN of that logical id, !Ref WorkflowsEventBus the bus name (the EventBusName default).
    /// </summary>
    public static string Definition(string machine)
    {
        var template = CloudFormationYaml.Load(Repository.TemplatePath);
        var resources = template["Resources"]!.AsObject();
        var substitutions = resources[LogicalId(machine)]!["Properties"]!["DefinitionSubstitutions"]!.AsObject();
        var values = substitutions.ToDictionary(kv => kv.Key, kv => Resolve(template, kv.Value!), StringComparer.Ordinal);
        var text = File.ReadAllText(Repository.StateMachine(machine));
        return Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? v
            : throw new InvalidOperationException($"{machine}: no substitution for {m.Value}"));
    }

    public static string LogicalId(string machine) => char.ToUpperInvariant(machine[0]) + machine[1..] + "StateMachine";

    private static string Resolve(JsonObject template, JsonNode value)
    {
        if (value["Fn::GetAtt"] is JsonArray { Count: 2 } getAtt && getAtt[1]!.GetValue<string>() == "Arn")
        {
            return TemplateBinder.FunctionArn(getAtt[0]!.GetValue<string>());
        }

        if (value["Ref"] is JsonValue reference)
        {
            var name = reference.GetValue<string>();
            var resource = template["Resources"]![name] ?? throw new InvalidOperationException($"!Ref {name}: no such resource");
            var busName = resource["Properties"]!["Name"]!;
            return busName["Ref"] is JsonValue parameter
                ? template["Parameters"]![parameter.GetValue<string>()]!["Default"]!.GetValue<string>()
                : busName.GetValue<string>();
        }

        throw new InvalidOperationException($"unexpected substitution value {value.ToJsonString()}");
    }

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex Placeholder();
}

/// <summary>The DSQL side of an application test that binds the real functions: none; a call fails the test loudly.</summary>
internal sealed class NoDsql : IDsqlClientFactory
{
    public static NoDsql Instance { get; } = new();

    public IDsqlClient ForRegion(string region) => throw new InvalidOperationException($"an application test reached DSQL in {region}; mock that state");
}
