using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using DsqlLocal;
using Workflows.Cli.Pairs;
using Workflows.Cli.Runs;

namespace Workflows.Cli.Commands;

/// <summary>workflows serve: the SAM application on 127.0.0.1 for AWS clients, until Ctrl+C or SIGTERM.</summary>
internal sealed class ServeCommand
{
    public const int DefaultPort = 8083;

    public const string Examples = """
        workflows serve --time-scale 60
        workflows serve --virtual-clock --port 0
        aws stepfunctions list-state-machines --endpoint-url http://127.0.0.1:8083
        aws stepfunctions start-execution --endpoint-url http://127.0.0.1:8083 --state-machine-arn arn:aws:states:us-east-1:123456789012:stateMachine:ProvisionStateMachine --input file://events/provision-input.json
        aws events put-events --endpoint-url http://127.0.0.1:8083 --entries '[{"EventBusName":"workflows","Source":"workflows.requests","DetailType":"DSQL Cluster Pair Provision Requested","Detail":"{...}"}]'
        curl 'http://127.0.0.1:8083/_local/events/workflows?after=0'
        aws lambda invoke --endpoint-url http://127.0.0.1:8083 --function-name ValidateProvisionRequestFunction --payload fileb://events/ValidateProvisionRequest.json out.json
        workflows serve --dsql-endpoint http://127.0.0.1:8787 --local-credentials --time-scale 60
        """;

    private readonly CliContext _context;
    private readonly Option<int> _port = new("--port")
    {
        Description = $"The port on 127.0.0.1 (default {DefaultPort}, Step Functions Local's; 0 = a free one, printed).",
        DefaultValueFactory = _ => DefaultPort,
        CustomParser = ParsePort,
    };
    private readonly Option<string> _region = new("--region") { Description = "The Region of every ARN served.", DefaultValueFactory = _ => "us-east-1" };
    private readonly Option<string?> _template = new("--template") { Description = "The SAM template to serve (default: the project's template.yaml, built next to the tool)." };
    private readonly Option<double?> _timeScale = new("--time-scale")
    {
        Description = "Run on the wall clock sped up by this factor: 60 makes a 10-minute wait take 10 s, really waiting (default 1, real time).",
        CustomParser = ParseScale,
    };
    private readonly Option<bool> _virtualClock = new("--virtual-clock")
    {
        Description = "Run on a virtual clock instead: waits take no time, executions run one at a time in start order.",
    };
    private readonly PairOptions _pair = new();

    public ServeCommand(CliContext context)
    {
        _context = context;
        Command = new Command("serve", """
            Serve the SAM application on 127.0.0.1 for the AWS CLI and SDKs: the Step Functions API with the
            template's state machines (functions in-process), EventBridge with the template's rules (a matching
            event starts its state machine; the outcome events land on the same bus, listed at /_local/events/{bus}),
            and the Lambda Invoke API for the template's functions, on an embedded DSQL Local (or --dsql-endpoint).
            Executions and histories persist in the state directory; one interrupted by a restart is ABORTED and can
            be redriven. A browser console (graphs, executions live, start/stop/redrive) is at /console/ on the same
            port. Stops on Ctrl+C or SIGTERM.
            """)
        {
            _port, _region, _template, _timeScale, _virtualClock,
            _pair.Endpoint, _pair.LocalCredentials, _pair.ProvisioningSeconds, _pair.DeletionSeconds, _pair.Seed, _pair.StateDir,
        };
        Command.SetAction((parse, cancellationToken) => ExecuteAsync(parse, cancellationToken));
    }

    public Command Command { get; }

    /// <exception cref="UsageException">Options that contradict each other.</exception>
    internal (BackendSettings Backend, ServeSettings Serve) Read(ParseResult parse)
    {
        var host = _context.Host;
        var endpoint = parse.GetValue(_pair.Endpoint);
        var virtualClock = parse.GetValue(_virtualClock);
        var scale = parse.GetValue(_timeScale);
        if (virtualClock && scale is not null)
        {
            throw new UsageException("--virtual-clock and --time-scale are two clocks: give one (neither: the wall clock at scale 1)");
        }

        if (virtualClock && endpoint is not null)
        {
            throw new UsageException("--virtual-clock needs the embedded emulator: a --dsql-endpoint runs on its own, real clock");
        }

        if (parse.GetValue(_pair.LocalCredentials) && endpoint is null)
        {
            throw new UsageException("--local-credentials goes with --dsql-endpoint (the embedded emulator needs no credentials)");
        }

        if (endpoint is not null && (PairOptions.Given(parse, _pair.ProvisioningSeconds) || PairOptions.Given(parse, _pair.DeletionSeconds)))
        {
            throw new UsageException("--provisioning-seconds and --deletion-seconds configure the embedded emulator; they cannot apply to --dsql-endpoint");
        }

        Uri? endpointUri = null;
        if (endpoint is not null && !(Uri.TryCreate(endpoint, UriKind.Absolute, out endpointUri) && endpointUri.Scheme is "http" or "https"))
        {
            throw new UsageException($"--dsql-endpoint '{endpoint}' must be an absolute http or https URL");
        }

        var backend = new BackendSettings
        {
            Mode = endpoint is null ? EndpointMode.Embedded : EndpointMode.Endpoint,
            Endpoint = endpointUri,
            LocalCredentials = parse.GetValue(_pair.LocalCredentials),
            ProvisioningTime = parse.GetValue(_pair.ProvisioningSeconds) is { } p ? TimeSpan.FromSeconds(p) : null,
            DeletionTime = parse.GetValue(_pair.DeletionSeconds) is { } d ? TimeSpan.FromSeconds(d) : null,
            Seed = parse.GetValue(_pair.Seed),
            StateDirectory = LastRunStore.DirectoryFor(host, parse.GetValue(_pair.StateDir)),
            TimeScale = virtualClock || endpoint is not null ? null : scale ?? 1,
        };
        var serve = new ServeSettings
        {
            Port = parse.GetValue(_port),
            Region = parse.GetValue(_region)!,
            TemplatePath = parse.GetValue(_template) is { } t ? host.ResolvePath(t) : PairRunner.TemplatePath,
            TimeScale = scale ?? 1,
        };
        return (backend, serve);
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var (backend, serve) = Read(parse);
        await using var session = await ServeSession.StartAsync(backend, serve, _context.Host, extraServices: null, cancellationToken);
        foreach (var line in session.EndpointLines)
        {
            await _context.Out.WriteLineAsync(line);
        }

        await _context.Out.WriteLineAsync(session.ConsoleLine);

        var clock = backend.TimeScale is { } s ? string.Create(CultureInfo.InvariantCulture, $"wall clock x{s}") : backend.Mode == EndpointMode.Embedded ? "virtual clock" : "wall clock";
        await _context.Out.WriteLineAsync(
            $"Ready: {session.StateMachineArns.Count} state machines ({string.Join(", ", session.StateMachineArns.Select(a => a.Split(':')[^1]))}) on the {clock}; " +
            $"sign with AWS_ACCESS_KEY_ID={DsqlLocalDefaults.AccessKeyId} AWS_SECRET_ACCESS_KEY={DsqlLocalDefaults.SecretAccessKey}; Ctrl+C stops.");
        await _context.Out.FlushAsync(CancellationToken.None);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _context.Out.WriteLineAsync("Stopped: running executions are marked interrupted at the next serve (redrive them to resume).");
        }

        return ExitCodes.Success;
    }

    private static int ParsePort(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
        {
            return port;
        }

        result.AddError($"--port '{token}' must be a whole number from 0 to 65535 (0 = a free port)");
        return 0;
    }

    private static double? ParseScale(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale > 0 && scale <= 1_000_000)
        {
            return scale;
        }

        result.AddError($"--time-scale '{token}' must be a number above 0 and at most 1000000 (60 = a minute per second)");
        return null;
    }
}
