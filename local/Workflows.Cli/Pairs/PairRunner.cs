using Workflows.Engine;
using Workflows.Engine.History;
using Workflows.Engine.Tasks;
using Workflows.Engine.Time;
using Workflows.Templates;

namespace Workflows.Cli.Pairs;

/// <summary>Which of the project's three pair state machines to run.</summary>
internal sealed record PairWorkflow(string Verb, string LogicalId)
{
    public static PairWorkflow Provision { get; } = new("provision", "ProvisionStateMachine");

    public static PairWorkflow Teardown { get; } = new("teardown", "TeardownStateMachine");

    public static PairWorkflow Update { get; } = new("update", "UpdateStateMachine");
}

/// <summary>A finished provision, update or teardown: the execution, what it cost, and where the clusters ended up.</summary>
internal sealed record PairRun(
    PairWorkflow Workflow,
    ExecutionResult Result,
    string StateMachineArn,
    IReadOnlyList<LocalEvent> PutEvents,
    TimeSpan Wall,
    IReadOnlyList<ClusterLine> Clusters,
    string Target,
    bool Virtual = true)
{
    /// <summary>Every attempt of every Lambda task (retries included), as the history counts them.</summary>
    public int LambdaInvocations => Result.History.Count(e => e.Type == HistoryEventType.LambdaFunctionScheduled);

    public TimeSpan VirtualDuration => Result.StopDate - Result.StartDate;
}

/// <summary>
/// Runs the real state machines from template.yaml with the real Lambda handlers on the local engine, the
/// steps run in-process on the backend's DSQL clients and clock (<see cref="InProcessFunctions"/>).
/// </summary>
internal static class PairRunner
{
    public const string Account = "123456789012";

    private static readonly string[] Roles = ["primary", "peer"];

    /// <summary>The SAM template and state machines as built next to the tool (see Workflows.Cli.csproj).</summary>
    public static string TemplatePath => Path.Combine(AppContext.BaseDirectory, "sam", "template.yaml");

    public static async Task<PairRun> RunAsync(
        Backend backend,
        PairWorkflow workflow,
        string input,
        string region,
        string? name,
        int? seed,
        Output.RunProgress? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var board = new ClusterBoard();
        var registry = new LambdaFunctionRegistry { InlineHandlers = backend.Inline };
        var template = SamTemplate.Load(TemplatePath);
        StartupTrace.Mark("template.yaml loaded");
        BoundStateMachine bound;
        await using var lambda = backend.Settings.Functions == FunctionsMode.Process
            ? await StartProcessesAsync(template, workflow, backend, region, registry, cancellationToken)
            : null;
        if (lambda is null)
        {
            bound = TemplateBinder.Bind(template, workflow.LogicalId, registry, fn => InProcessFunctions.For(fn, backend.ServicesFor(fn.LogicalId)), region, Account);
        }
        else
        {
            bound = TemplateBinder.Substitute(template, workflow.LogicalId, region, Account);
        }

        StartupTrace.Mark("state machine bound");
        var engine = new AslEngine(new EngineOptions
        {
            ClockMode = backend.VirtualClock is null ? ClockMode.RealTime : ClockMode.Virtual,
            Clock = backend.VirtualClock,
            Seed = seed,
            Region = region,
            Account = Account,
            StateMachineName = workflow.LogicalId,
            Lambda = registry,
            OnHistoryEvent = e =>
            {
                var changed = board.Observe(e);
                progress?.OnEvent(e);
                if (changed.Count > 0)
                {
                    progress?.OnClusters(changed);
                }
            },
        });

        var wallStart = backend.Wall.GetTimestamp();
        Task<ExecutionResult> execution;
        try
        {
            execution = engine.StartExecutionAsync(bound.DefinitionJson, input, name, cancellationToken);
        }
        catch (ExecutionRequestException e)
        {
            throw new UsageException($"{(e.Code == "InvalidName" ? "--name" : "--input")}: {e.Message}", e);
        }

        var result = progress is null ? await execution : await progress.TrackAsync(execution, engine.Clock, () => backend.Wall.GetElapsedTime(wallStart));
        var wall = backend.Wall.GetElapsedTime(wallStart);
        return new PairRun(workflow, result, engine.StateMachineArn, engine.EventBus.Events, wall, WithOutcomes(FinalClusters(backend, board), result), backend.Settings.Describe(), backend.VirtualClock is not null);
    }

    private static async Task<Workflows.LambdaLocal.LambdaService> StartProcessesAsync(
        SamTemplate template, PairWorkflow workflow, Backend backend, string region, LambdaFunctionRegistry registry, CancellationToken cancellationToken)
    {
        var functions = TemplateBinder.Substitute(template, workflow.LogicalId, region, Account).Functions;
        var lambda = await ProcessFunctions.StartAsync(functions, TemplatePath, backend.Settings.Artifacts!, backend, region, Account, cancellationToken);
        Workflows.LambdaLocal.EngineRegistration.RegisterAll(lambda, registry);
        return lambda;
    }

    /// <summary>
    /// A teardown's output says per cluster whether it was DELETED or NOT_FOUND (there was nothing to delete); an
    /// absent cluster looks the same either way afterwards, so the output's word is the one shown.
    /// </summary>
    private static List<ClusterLine> WithOutcomes(List<ClusterLine> clusters, ExecutionResult result)
    {
        if (result.Status != ExecutionStatus.Succeeded || result.Output is null)
        {
            return clusters;
        }

        System.Text.Json.Nodes.JsonNode? output;
        try
        {
            output = System.Text.Json.Nodes.JsonNode.Parse(result.Output);
        }
        catch (System.Text.Json.JsonException)
        {
            return clusters;
        }

        var missing = Roles
            .Select(role => output?[role])
            .Where(c => c?["outcome"] is System.Text.Json.Nodes.JsonValue o && o.TryGetValue<string>(out var text) && text == ClusterBoard.OutcomeNotFound)
            .Select(c => (Region: c?["region"]?.ToString(), Identifier: c?["identifier"]?.ToString()))
            .ToList();
        return clusters.Select(c => missing.Contains((c.Region, c.Identifier)) ? c with { Status = ClusterBoard.NotFound } : c).ToList();
    }

    /// <summary>Embedded: the emulator's own view of every cluster the run touched (absent = deleted). Otherwise the last step outputs.</summary>
    private static List<ClusterLine> FinalClusters(Backend backend, ClusterBoard board)
    {
        var seen = board.Snapshot();
        if (backend.EmulatorClusters() is not { } emulator)
        {
            return [.. seen];
        }

        return seen.Select(c => emulator.FirstOrDefault(s => s.Region == c.Region && s.Identifier == c.Identifier) is { } s
                ? c with { Status = s.Status, Arn = s.Arn }
                : c with { Status = ClusterBoard.Gone })
            .ToList();
    }
}
