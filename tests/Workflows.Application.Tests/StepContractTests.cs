using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Workflows.Application.Tests.Support;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;
using Workflows.Engine.Tasks;
using Workflows.Templates;

namespace Workflows.Application.Tests;

/// <summary>
/// The contract between the state machines and the steps, read from the definitions and the steps' JSON contracts
/// (not from a run): every key a Task state's Parameters passes is a member of that step's input record, and every
/// path a later state reads below the step's ResultPath is a member of its output record. A renamed member on
/// either side fails here instead of as an InvalidRequestException or a States.Runtime error on AWS.
/// </summary>
public sealed partial class StepContractTests
{
    public static TheoryData<string> Machines => new("ProvisionStateMachine", "TeardownStateMachine");

    private static readonly SamTemplate Template = SamTemplate.Load(Repository.TemplatePath);

    [GeneratedRegex(@"\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[0-9]+\])+")]
    private static partial Regex StatePath();

    [Theory]
    [MemberData(nameof(Machines))]
    public void Parameters_EveryKeyIsAMemberOfTheStepsInputRecord(string machine)
    {
        var problems = new List<string>();
        foreach (var (name, state, step) in Tasks(machine))
        {
            if (state["Parameters"] is JsonObject parameters)
            {
                CheckKeys(parameters, step.InputContract, $"{machine}/{name} → {step.Name}Input", problems);
            }
        }

        problems.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void ResultReads_EveryPathBelowAResultPathIsAMemberOfTheStepsOutputRecord(string machine)
    {
        var problems = new List<string>();
        var checkedPaths = 0;
        foreach (var scope in Scopes(Definition(machine)))
        {
            var writers = scope.Tasks
                .Where(t => t.State["ResultPath"] is JsonValue v && v.GetValue<string>() != "$")
                .Select(t => (Root: t.State["ResultPath"]!.GetValue<string>(), t.Name, t.Step))
                .ToList();
            var rootWriters = scope.Tasks.Where(t => t.State["ResultPath"] is JsonValue v && v.GetValue<string>() == "$").ToList();
            var otherRoots = writers.Select(w => w.Root).ToHashSet(StringComparer.Ordinal);
            foreach (var path in scope.Paths)
            {
                foreach (var (root, name, step) in writers.Where(w => path.StartsWith(w.Root + ".", StringComparison.Ordinal)))
                {
                    checkedPaths++;
                    CheckPath(path[root.Length..], step.OutputContract, $"{machine}: '{path}' (result of {name} → {step.Name}Output)", problems);
                }

                // A step whose result replaces the whole state (the validation steps): what is read below one of its
                // output's members must exist. (A first member it lacks may have been written by a later state.)
                foreach (var (name, _, step) in rootWriters)
                {
                    var first = Regex.Match(path, @"^\$\.(?<name>[A-Za-z_][A-Za-z0-9_]*)").Groups["name"].Value;
                    if (first.Length > 0 && !otherRoots.Any(r => r == "$." + first) && step.OutputContract.Properties.Any(p => p.Name == first))
                    {
                        checkedPaths++;
                        CheckPath(path[1..], step.OutputContract, $"{machine}: '{path}' (result of {name} → {step.Name}Output)", problems);
                    }
                }
            }
        }

        problems.Should().BeEmpty();
        checkedPaths.Should().BePositive("the state machine reads step results");
    }

    [Fact]
    public void CheckKeys_UnknownMember_Reported()
    {
        var problems = new List<string>();

        CheckKeys(new JsonObject { ["region.$"] = "$.x", ["regoin"] = "us-east-1" }, StepCatalog.DeleteCluster.InputContract, "test", problems);

        problems.Should().ContainSingle().Which.Should().Contain("regoin");
    }

    [Fact]
    public void CheckPath_UnknownNestedMember_Reported()
    {
        var problems = new List<string>();

        CheckPath(".clusters[0].statsu", StepCatalog.DescribeCluster.OutputContract, "test", problems);
        CheckPath(".clusters[0].status", StepCatalog.DescribeCluster.OutputContract, "test", problems);
        CheckPath(".decision", StepCatalog.DescribeCluster.OutputContract, "test", problems);

        problems.Should().ContainSingle().Which.Should().Contain("statsu");
    }

    private static JsonObject Definition(string machine) =>
        (JsonObject)JsonNode.Parse(TemplateBinder.Substitute(Template, machine).DefinitionJson)!;

    private static IEnumerable<(string Name, JsonObject State, StepDefinition Step)> Tasks(string machine) =>
        Scopes(Definition(machine)).SelectMany(s => s.Tasks);

    private sealed record Scope(List<(string Name, JsonObject State, StepDefinition Step)> Tasks, List<string> Paths);

    /// <summary>Each States block (the machine's, each Parallel branch's, each Map's): paths in one block read one state's data.</summary>
    private static IEnumerable<Scope> Scopes(JsonObject machine)
    {
        var scope = new Scope([], []);
        foreach (var (name, node) in machine["States"]!.AsObject())
        {
            var state = node!.AsObject();
            if (state["Type"]!.GetValue<string>() == "Task" && StepOf(state["Resource"]!.GetValue<string>()) is { } step)
            {
                scope.Tasks.Add((name, state, step));
            }

            foreach (var nested in Nested(state))
            {
                foreach (var inner in Scopes(nested))
                {
                    yield return inner;
                }
            }

            scope.Paths.AddRange(PathsOf(state));
        }

        yield return scope;
    }

    private static IEnumerable<JsonObject> Nested(JsonObject state)
    {
        foreach (var branch in state["Branches"]?.AsArray() ?? [])
        {
            yield return branch!.AsObject();
        }

        if ((state["ItemProcessor"] ?? state["Iterator"]) is JsonObject processor)
        {
            yield return processor;
        }
    }

    /// <summary>The state paths a state reads (not its nested machines'), from every string value except nested States.</summary>
    private static IEnumerable<string> PathsOf(JsonObject state)
    {
        foreach (var (key, value) in state)
        {
            if (key is "States" or "Branches" or "ItemProcessor" or "Iterator" or "ResultPath")
            {
                continue;
            }

            foreach (var text in Strings(value))
            {
                foreach (Match m in StatePath().Matches(text))
                {
                    // $$.Execution... is the context object, not the state.
                    if (m.Index == 0 || text[m.Index - 1] != '$')
                    {
                        yield return m.Value;
                    }
                }
            }
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        JsonObject o => o.SelectMany(kv => Strings(kv.Value)),
        JsonArray a => a.SelectMany(Strings),
        _ => [],
    };

    private static StepDefinition? StepOf(string resource)
    {
        var logicalId = resource.Split(':').SkipWhile(p => p != "function").Skip(1).FirstOrDefault();
        return logicalId is not null && Template.Functions.TryGetValue(logicalId, out var fn) ? StepCatalog.ForCodeUri(fn.CodeUri) : null;
    }

    private static void CheckKeys(JsonObject parameters, JsonTypeInfo contract, string where, List<string> problems)
    {
        foreach (var (rawKey, value) in parameters)
        {
            var key = rawKey.EndsWith(".$", StringComparison.Ordinal) ? rawKey[..^2] : rawKey;
            var member = contract.Kind == JsonTypeInfoKind.Object ? contract.Properties.FirstOrDefault(p => p.Name == key) : null;
            if (contract.Kind == JsonTypeInfoKind.Dictionary)
            {
                continue;
            }

            if (member is null)
            {
                problems.Add($"{where}: '{key}' is not a member (members: {string.Join(", ", contract.Properties.Select(p => p.Name))})");
                continue;
            }

            if (value is JsonObject literal && !rawKey.EndsWith(".$", StringComparison.Ordinal))
            {
                CheckKeys(literal, contract.Options.GetTypeInfo(member.PropertyType), $"{where}.{key}", problems);
            }
        }
    }

    private static void CheckPath(string path, JsonTypeInfo contract, string where, List<string> problems)
    {
        var info = contract;
        foreach (Match segment in Regex.Matches(path, @"\.(?<name>[A-Za-z_][A-Za-z0-9_]*)|\[(?<index>[0-9]+)\]"))
        {
            Type? next;
            if (segment.Groups["index"].Success)
            {
                next = info.Kind == JsonTypeInfoKind.Enumerable ? info.ElementType : null;
            }
            else if (info.Kind == JsonTypeInfoKind.Dictionary)
            {
                return;
            }
            else
            {
                next = info.Kind == JsonTypeInfoKind.Object ? info.Properties.FirstOrDefault(p => p.Name == segment.Groups["name"].Value)?.PropertyType : null;
            }

            if (next is null)
            {
                problems.Add($"{where}: '{segment.Value}' is not a member of {info.Type.Name}");
                return;
            }

            info = contract.Options.GetTypeInfo(Nullable.GetUnderlyingType(next) ?? next);
        }
    }
}
