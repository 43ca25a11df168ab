using System.Text.Json.Nodes;
using DsqlLocal;
using Workflows.Engine.Tasks;
using Workflows.EventBridge.Bus;
using Workflows.EventBridge.Patterns;
using Workflows.EventBridge.Targets;
using Workflows.EventBridge.Templates;
using Workflows.Host;
using Workflows.Host.AwsJson;
using Workflows.Host.Events;
using Workflows.Host.Lambda;
using Workflows.Host.StepFunctions;
using Workflows.Templates;
using Workflows.WebConsole;

namespace Workflows.Cli.Pairs;

/// <summary>What serve brings up besides the DSQL side: where it listens, the template, the clock's speed.</summary>
internal sealed record ServeSettings
{
    public int Port { get; init; }

    public string Region { get; init; } = "us-east-1";

    public required string TemplatePath { get; init; }

    /// <summary>Wall seconds count this many seconds (1 = real time); ignored on the virtual clock.</summary>
    public double TimeScale { get; init; } = 1;
}

/// <summary>
/// The SAM application served on 127.0.0.1: every state machine of template.yaml (its DefinitionSubstitutions bound
/// to the function ARNs, the functions run in-process on the backend's DSQL clients and clock) created in the local
/// Step Functions service; the local EventBridge with the template's rules, each state machine target bound to
/// StartExecution, and the events the executions publish put on the same buses; the Lambda Invoke API for the
/// template's functions. All behind one endpoint (awsJson services told apart by X-Amz-Target). More awsJson
/// services mount beside them through <see cref="StartAsync"/>'s <c>extraServices</c>.
/// </summary>
internal sealed class ServeSession : IAsyncDisposable
{
    private readonly Backend _backend;

    private ServeSession(Backend backend, StepFunctionsService service, EventBridgeService events, LambdaInvokeEndpoint lambda, ApplicationHost host, IReadOnlyList<string> machines)
    {
        _backend = backend;
        StepFunctions = service;
        EventBridge = events;
        Lambda = lambda;
        Host = host;
        StateMachineArns = machines;
    }

    public StepFunctionsService StepFunctions { get; }

    /// <summary>The buses, with the template's rules; request and outcome events alike in their event logs.</summary>
    public EventBridgeService EventBridge { get; }

    public LambdaInvokeEndpoint Lambda { get; }

    /// <summary>The embedded emulator's clusters (null with --dsql-endpoint).</summary>
    public IReadOnlyList<ClusterSnapshot>? EmulatorClusters() => _backend.EmulatorClusters();

    public ApplicationHost Host { get; }

    public IReadOnlyList<string> StateMachineArns { get; }

    /// <summary>"Console: http://127.0.0.1:N/console/", printed after the endpoint lines.</summary>
    public string ConsoleLine => ConsoleEndpoint.EndpointLine(Host.BaseAddress);

    /// <summary>One line per endpoint, as serve prints them.</summary>
    public IReadOnlyList<string> EndpointLines
    {
        get
        {
            var lines = new List<string>(Host.EndpointLines) { $"Lambda: {Host.BaseAddress.ToString().TrimEnd('/')}" };
            // Embedded, the emulator listens on a port of its own (its REST routes would collide with Lambda's on
            // the one host); the in-process functions reach the same store through its inline handler.
            lines.Add(_backend.FunctionEndpoint is { } dsql
                ? $"DSQL: {dsql.ToString().TrimEnd('/')}"
                : $"DSQL: embedded in-process (clusters kept in {_backend.DataFile})");
            return lines;
        }
    }

    /// <exception cref="UsageException">The state directory is in use, the template cannot be bound, the port is taken.</exception>
    public static async Task<ServeSession> StartAsync(
        BackendSettings settings,
        ServeSettings serve,
        CliHost cliHost,
        IEnumerable<IAwsJsonService>? extraServices,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(serve);
        var backend = await Backend.OpenAsync(settings, cliHost, cancellationToken);
        StepFunctionsService? service = null;
        try
        {
            var registry = new LambdaFunctionRegistry { InlineHandlers = backend.Inline };
            SamTemplate template;
            try
            {
                template = SamTemplate.Load(serve.TemplatePath);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
            {
                throw new UsageException($"--template '{serve.TemplatePath}' cannot be read: {e.Message}", e);
            }

            var services = backend.Services;
            var bound = template.StateMachines.Keys.Order(StringComparer.Ordinal)
                .Select(id => (Id: id, Bound: TemplateBinder.Bind(template, id, registry, fn => InProcessFunctions.For(fn, services), serve.Region, PairRunner.Account)))
                .ToList();
            // On a remote endpoint the backend keeps wall time; the engine's waits can still be sped up.
            var time = backend.VirtualClock is null && settings.Mode != EndpointMode.Embedded && serve.TimeScale != 1
                ? new ScaledTimeProvider(cliHost.Time, serve.TimeScale)
                : backend.Time;
            var routing = new RoutingEventTarget();
            var events = new EventBridgeService(routing, new EventBusOptions { Region = serve.Region, Account = PairRunner.Account, RandomSeed = settings.Seed }, time);
            try
            {
                TemplateRules.Apply(events, TemplateRules.Read(template, serve.Region, PairRunner.Account));
            }
            catch (Exception e) when (e is FormatException or InvalidEventPatternException)
            {
                throw new UsageException($"--template '{serve.TemplatePath}': {e.Message}", e);
            }

            service = new StepFunctionsService(new StepFunctionsOptions
            {
                Region = serve.Region,
                Account = PairRunner.Account,
                StateDirectory = settings.StateDirectory,
                VirtualClock = backend.VirtualClock,
                Time = time,
                Lambda = registry,
                TaskInvokers = [new EngineEventForwarder(events)],
                Seed = settings.Seed,
            });
            var arns = new List<string>();
            foreach (var (id, machine) in bound)
            {
                arns.Add(await EnsureMachineAsync(service, id, machine.DefinitionJson, cancellationToken));
            }

            // A rule's target that names a machine of the template starts it; any other ARN fails as NO_RESOURCE.
            StateMachineTargets.Bind(routing, service, arns);
            var hostOptions = new ApplicationHostOptions { Port = serve.Port, SignatureClock = cliHost.Time };
            var lambda = new LambdaInvokeEndpoint(registry, hostOptions, serve.Region, PairRunner.Account);
            ApplicationHost host;
            try
            {
                host = await ApplicationHost.StartAsync(
                    hostOptions,
                    [service, new EventBridgeJsonService(events), .. extraServices ?? []],
                    app =>
                    {
                        BusEventsEndpoint.Map(app, events, cliHost.Time);
                        lambda.Map(app);
                        // The browser console; its inputs are the events/ directory beside the template.
                        new ConsoleEndpoint(service, new ConsoleOptions { EventsDirectory = Path.Combine(Path.GetDirectoryName(serve.TemplatePath) ?? ".", "events") }).Map(app);
                    },
                    cancellationToken);
            }
            catch (IOException e)
            {
                throw new UsageException($"--port {serve.Port}: {e.Message} (give another port, or 0 for a free one)", e);
            }

            return new ServeSession(backend, service, events, lambda, host, arns);
        }
        catch
        {
            if (service is not null)
            {
                await service.DisposeAsync();
            }

            await backend.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates the template's machine, or brings a kept one up to the template's definition.</summary>
    private static async Task<string> EnsureMachineAsync(StepFunctionsService service, string name, string definition, CancellationToken cancellationToken)
    {
        var arn = service.StateMachineArn(name);
        var role = $"arn:aws:iam::{PairRunner.Account}:role/{name}Role";
        try
        {
            await service.HandleAsync("CreateStateMachine", new JsonObject { ["name"] = name, ["definition"] = definition, ["roleArn"] = role, ["type"] = "STANDARD" }, cancellationToken);
        }
        catch (AwsJsonException e) when (e.Type == "StateMachineAlreadyExists")
        {
            await service.HandleAsync("UpdateStateMachine", new JsonObject { ["stateMachineArn"] = arn, ["definition"] = definition }, cancellationToken);
        }
        catch (AwsJsonException e)
        {
            throw new UsageException($"template: state machine {name}: {e.Message}", e);
        }

        return arn;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Lambda.WhenBackgroundIdleAsync();
        await StepFunctions.DisposeAsync();
        await _backend.DisposeAsync();
    }
}
