using System.CommandLine;
using System.Text.Json.Nodes;
using Workflows.Cli.Pairs;
using Workflows.Cli.Runs;
using Workflows.Core.Errors;
using Workflows.Core.Requests;

namespace Workflows.Cli.Commands;

/// <summary>workflows teardown: the teardown state machine with the real functions, against the same places as provision.</summary>
internal sealed class TeardownCommand
{
    public const string Examples = """
        workflows teardown --from-last-run --force
        workflows teardown --primary us-east-1:abcdefghijklmnopqrstuvwxyz --peer us-east-2:zyxwvutsrqponmlkjihgfedcba
        workflows teardown --primary arn:aws:dsql:us-east-1:123456789012:cluster/<id> --peer arn:aws:dsql:us-east-2:123456789012:cluster/<id> --aws --force
        workflows teardown --cluster us-east-1:abcdefghijklmnopqrstuvwxyz --force
        """;

    private readonly CliContext _context;
    private readonly PairOptions _common = new();
    private readonly Option<string?> _primary = new("--primary") { Description = "The primary cluster: region:identifier, or its ARN." };
    private readonly Option<string?> _peer = new("--peer") { Description = "The peer cluster: region:identifier, or its ARN." };
    private readonly Option<bool> _fromLastRun = new("--from-last-run") { Description = "Retire the pair the last 'workflows provision' left (succeeded, interrupted, or failed and kept; from the state directory)." };
    private readonly Option<bool> _force = new("--force") { Description = "Turn deletion protection off first; without it a protected pair is left untouched and the run fails." };
    private readonly Option<string?> _input = new("--input") { Description = "A whole TeardownRequest instead of the flags above: inline JSON, or @path to a file." };
    private readonly Option<string?> _cluster = new("--cluster") { Description = "Retire one cluster with no live peer (what a killed or failed provision left): region:identifier, or its ARN." };
    private readonly Option<bool> _okIfGone = new("--ok-if-gone") { Description = $"Exit 0 when there is nothing to retire (every cluster already gone or never there) instead of {ExitCodes.NothingToRetire}." };

    public TeardownCommand(CliContext context)
    {
        _context = context;
        Command = new Command("teardown", """
            Retire an Aurora DSQL cluster pair with the teardown state machine and the real Lambda functions: check
            both clusters, turn deletion protection off (--force), delete both and wait until they are gone.
            """)
        {
            _primary, _peer, _fromLastRun, _force, _input, _cluster, _okIfGone,
        };
        foreach (var option in _common.All)
        {
            Command.Options.Add(option);
        }

        Command.SetAction((parse, cancellationToken) => ExecuteAsync(parse, cancellationToken));
    }

    public Command Command { get; }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        // First, so a format that cannot be is refused before anything is read or written.
        var format = _common.ReadOutput(parse);
        var settings = _common.Read(parse, _context.Host);
        if (parse.GetValue(_cluster) is { } cluster)
        {
            if (parse.GetValue(_primary) is not null || parse.GetValue(_peer) is not null || parse.GetValue(_fromLastRun) || parse.GetValue(_input) is not null)
            {
                throw new UsageException("--cluster retires one cluster; it cannot be combined with --primary, --peer, --from-last-run or --input");
            }

            return await LoneClusterTeardown.RunAsync(_context, settings, LoneRef(cluster), parse.GetValue(_force), parse.GetValue(_okIfGone), format, cancellationToken);
        }

        var input = Request(parse, settings, format);
        TeardownRequest request;
        try
        {
            request = TeardownRequest.Parse(input);
        }
        catch (InvalidRequestException e)
        {
            throw new UsageException($"invalid teardown request: {e.Message}", e);
        }

        return await PairExecution.RunAsync(_context, settings, PairWorkflow.Teardown, input, request.Primary.Region, parse.GetValue(_common.Name), format, cancellationToken, parse.GetValue(_okIfGone));
    }

    private string Request(ParseResult parse, BackendSettings settings, Output.OutputFormat format)
    {
        var primary = parse.GetValue(_primary);
        var peer = parse.GetValue(_peer);
        var fromLastRun = parse.GetValue(_fromLastRun);
        if (parse.GetValue(_input) is { } input)
        {
            if (primary is not null || peer is not null || fromLastRun || PairOptions.Given(parse, _force))
            {
                throw new UsageException("--input is the whole request; it cannot be combined with --primary, --peer, --from-last-run or --force");
            }

            return InputFiles.ReadJsonInput(_context.Host, input, "teardown");
        }

        JsonObject primaryRef, peerRef;
        if (fromLastRun)
        {
            if (primary is not null || peer is not null)
            {
                throw new UsageException("--from-last-run names the pair already; it cannot be combined with --primary or --peer");
            }

            var last = LastProvision.Load(settings.StateDirectory, settings.Target(), Where(settings));
            (primaryRef, peerRef) = (last.Primary, last.Peer);
            // Say which pair before touching it: the record is the last provision's, which may not be the pair meant.
            var note = $"--from-last-run: retiring the clusters provision {last.ExecutionArn} ({last.Status}) left: " +
                $"primary {primaryRef["region"]} {primaryRef["identifier"]}, peer {peerRef["region"]} {peerRef["identifier"]}";
            (format == Output.OutputFormat.Table ? _context.Out : _context.Error).WriteLine(note);
        }
        else
        {
            if (primary is null || peer is null)
            {
                throw new UsageException("say which pair to retire: --primary and --peer (region:identifier or ARN), or --from-last-run");
            }

            primaryRef = Ref(primary, "--primary");
            peerRef = Ref(peer, "--peer");
        }

        return new JsonObject { ["primary"] = primaryRef, ["peer"] = peerRef, ["force"] = parse.GetValue(_force) }.ToJsonString();
    }

    /// <summary>A cluster reference from the command line (update uses the same forms).</summary>
    internal static JsonObject Ref(string value, string option)
    {
        if (value.StartsWith("arn:", StringComparison.Ordinal))
        {
            return new JsonObject { ["arn"] = value };
        }

        var parts = value.Split(':');
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0
            ? new JsonObject { ["region"] = CommonOptions.Region(parts[0], $"{option} region"), ["identifier"] = parts[1] }
            : throw new UsageException($"{option} '{value}' must be region:identifier (e.g. us-east-1:abcdefghijklmnopqrstuvwxyz) or a cluster ARN");
    }

    /// <summary>--cluster as a Region and an identifier, checked by the same rules as the requests'.</summary>
    private static (string Region, string Identifier) LoneRef(string value)
    {
        var reference = Ref(value, "--cluster");
        try
        {
            return reference["arn"] is JsonValue arn
                ? RequestRules.ClusterArnParts(arn.GetValue<string>(), "--cluster")
                : (RequestRules.Region(reference["region"]!.GetValue<string>(), "--cluster region"), RequestRules.ClusterIdentifier(reference["identifier"]!.GetValue<string>(), "--cluster identifier"));
        }
        catch (InvalidRequestException e)
        {
            throw new UsageException(e.Message, e);
        }
    }

    internal static string Where(BackendSettings settings) => settings.Mode switch
    {
        EndpointMode.Embedded => "the embedded emulator",
        EndpointMode.Aws => "AWS (--aws)",
        _ => $"--dsql-endpoint {settings.Endpoint}",
    };
}
