using System.Text.Json.Nodes;
using DsqlLocal;
using Workflows.Engine.Tasks;
using Workflows.Host;
using Workflows.Host.AwsJson;
using Workflows.Host.StepFunctions;
using Workflows.Templates;

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
/// Step Functions service, behind one endpoint. More awsJson services (EventBridge) mount beside it through
/// <see cref="StartAsync"/>'s <c>extraServices</c>.
/// </summary>
internal sealed class ServeSession : IAsyncDisposable
{
    private readonly Backend _backend;

    private ServeSession(Backend backend, StepFunctionsService service, ApplicationHost host, IReadOnlyList<string> machines)
    {
        _backend = backend;
        StepFunctions = service;
        Host = host;
        StateMachineArns = machines;
    }

    public StepFunctionsService StepFunctions { get; }

    public ApplicationHost Host { get; }

    public IReadOnlyList<string> StateMachineArns { get; }

    /// <summary>One line per endpoint, as serve prints them.</summary>
    public IReadOnlyList<string> EndpointLines
    {
        get
        {
            var lines = new List<string>(Host.EndpointLines);
            // Inferred: the embedded emulator serves in-process functions through its inline handler and opens no
            // socket (its clock is the served one, which a client's wall-clock signature would not match).
            lines.Add(_backend.FunctionEndpoint is { } dsql && _backend.Settings.Mode != EndpointMode.Embedded
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
            service = new StepFunctionsService(new StepFunctionsOptions
            {
                Region = serve.Region,
                Account = PairRunner.Account,
                StateDirectory = settings.StateDirectory,
                VirtualClock = backend.VirtualClock,
                Time = time,
                Lambda = registry,
                Seed = settings.Seed,
            });
            var arns = new List<string>();
            foreach (var (id, machine) in bound)
            {
                arns.Add(await EnsureMachineAsync(service, id, machine.DefinitionJson, cancellationToken));
            }

            ApplicationHost host;
            try
            {
                host = await ApplicationHost.StartAsync(
                    new ApplicationHostOptions { Port = serve.Port, SignatureClock = cliHost.Time },
                    [service, .. extraServices ?? []],
                    cancellationToken: cancellationToken);
            }
            catch (IOException e)
            {
                throw new UsageException($"--port {serve.Port}: {e.Message} (give another port, or 0 for a free one)", e);
            }

            return new ServeSession(backend, service, host, arns);
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
        await StepFunctions.DisposeAsync();
        await _backend.DisposeAsync();
    }
}
