using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json.Nodes;
using Workflows.Cli.Pairs;
using Workflows.Cli.Runs;
using Workflows.Core.Errors;
using Workflows.Core.Requests;

namespace Workflows.Cli.Commands;

/// <summary>workflows update: the update state machine with the real functions, against the same places as provision and teardown.</summary>
internal sealed class UpdateCommand
{
    public const string Examples = """
        workflows update --from-last-run --deletion-protection off
        workflows update --from-last-run --tag team=payments --tag retire-after=2026-12-31 --untag on-call
        workflows update --primary us-east-1:abcdefghijklmnopqrstuvwxyz --peer us-east-2:zyxwvutsrqponmlkjihgfedcba --deletion-protection on --json
        """;

    private readonly CliContext _context;
    private readonly PairOptions _common = new();
    private readonly Option<string?> _primary = new("--primary") { Description = "The primary cluster: region:identifier, or its ARN." };
    private readonly Option<string?> _peer = new("--peer") { Description = "The peer cluster: region:identifier, or its ARN." };
    private readonly Option<bool> _fromLastRun = new("--from-last-run") { Description = "Update the pair the last 'workflows provision' left (from the state directory)." };
    // A string, not a bool: System.CommandLine leaves a value that is not true/false (here: on, off) unconsumed for a
    // bool option and then reports it as a stray argument.
    private readonly Option<string?> _deletionProtection = new("--deletion-protection")
    {
        Description = "Turn deletion protection on or off on both clusters (on|off; true|false also work). Left as it is when not given.",
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = ParseOnOff,
    };
    private readonly Option<string[]> _tags = new("--tag") { Description = "A tag to set on both clusters, key=value (repeatable); an existing key gets the new value.", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string[]> _untag = new("--untag") { Description = "A tag key to remove from both clusters (repeatable).", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> _input = new("--input") { Description = "A whole UpdateRequest instead of the flags above: inline JSON, or @path to a file." };

    public UpdateCommand(CliContext context)
    {
        _context = context;
        Command = new Command("update", """
            Change both clusters of an Aurora DSQL cluster pair with the update state machine and the real Lambda
            functions: check that the two are one pair, set or remove tags and turn deletion protection on or off on
            each, then wait until both are ACTIVE again. If one cluster could not be changed, the run fails naming
            which one; running the same command again finishes the job.
            """)
        {
            _primary, _peer, _fromLastRun, _deletionProtection, _tags, _untag, _input,
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
        var (input, fromFlags) = Request(parse, settings, format);
        UpdateRequest request;
        try
        {
            request = UpdateRequest.Parse(input);
        }
        catch (InvalidRequestException e)
        {
            throw new UsageException($"invalid update request: {e.Message}{(fromFlags ? FlagHint(e.Field) : string.Empty)}", e);
        }

        return await PairExecution.RunAsync(_context, settings, PairWorkflow.Update, input, request.Primary.Region, parse.GetValue(_common.Name), format, cancellationToken);
    }

    private (string Json, bool FromFlags) Request(ParseResult parse, BackendSettings settings, Output.OutputFormat format)
    {
        var primary = parse.GetValue(_primary);
        var peer = parse.GetValue(_peer);
        var fromLastRun = parse.GetValue(_fromLastRun);
        if (parse.GetValue(_input) is { } input)
        {
            var flags = new Option[] { _primary, _peer, _fromLastRun, _deletionProtection, _tags, _untag }.Where(o => PairOptions.Given(parse, o)).Select(o => o.Name).ToList();
            if (flags.Count > 0)
            {
                throw new UsageException($"--input is the whole request; it cannot be combined with {string.Join(", ", flags)}");
            }

            return (InputFiles.ReadJsonInput(_context.Host, input, "update"), false);
        }

        // What to change is checked before --from-last-run reads (and announces) the pair.
        var protection = parse.GetValue(_deletionProtection);
        var tags = Tags(parse.GetValue(_tags) ?? []);
        var untag = parse.GetValue(_untag) ?? [];
        if (tags.Count == 0 && untag.Length == 0 && protection is null)
        {
            throw new UsageException("say what to change: --deletion-protection on|off, --tag key=value or --untag key (each of the last two repeatable)");
        }

        JsonObject primaryRef, peerRef;
        if (fromLastRun)
        {
            if (primary is not null || peer is not null)
            {
                throw new UsageException("--from-last-run names the pair already; it cannot be combined with --primary or --peer");
            }

            var last = LastProvision.Load(settings.StateDirectory, settings.Target(), TeardownCommand.Where(settings));
            (primaryRef, peerRef) = (last.Primary, last.Peer);
            // Say which pair before touching it: the record is the last provision's, which may not be the pair meant.
            var note = $"--from-last-run: updating the clusters provision {last.ExecutionArn} ({last.Status}) left: " +
                $"primary {primaryRef["region"]} {primaryRef["identifier"]}, peer {peerRef["region"]} {peerRef["identifier"]}";
            (format == Output.OutputFormat.Table ? _context.Out : _context.Error).WriteLine(note);
        }
        else
        {
            if (primary is null || peer is null)
            {
                throw new UsageException("say which pair to update: --primary and --peer (region:identifier or ARN), or --from-last-run");
            }

            primaryRef = TeardownCommand.Ref(primary, "--primary");
            peerRef = TeardownCommand.Ref(peer, "--peer");
        }

        var request = new JsonObject { ["primary"] = primaryRef, ["peer"] = peerRef };
        if (protection is not null)
        {
            request["deletionProtection"] = protection == "on";
        }

        if (tags.Count > 0)
        {
            request["tags"] = tags;
        }

        if (untag.Length > 0)
        {
            request["untagKeys"] = new JsonArray(untag.Select(k => (JsonNode?)JsonValue.Create(k)).ToArray());
        }

        return (request.ToJsonString(), true);
    }

    private static JsonObject Tags(IEnumerable<string> given)
    {
        var tags = new JsonObject();
        foreach (var tag in given)
        {
            var equals = tag.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new UsageException($"--tag '{tag}' must be key=value (a non-empty key, then '=', then the value, which may be empty)");
            }

            var key = tag[..equals];
            if (tags.ContainsKey(key))
            {
                throw new UsageException($"--tag: key '{key}' is given twice");
            }

            tags[key] = tag[(equals + 1)..];
        }

        return tags;
    }

    /// <summary>on or off (true and false too, as provision takes them), normalized to "on" / "off".</summary>
    private static string? ParseOnOff(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        switch (token.ToUpperInvariant())
        {
            case "ON" or "TRUE":
                return "on";
            case "OFF" or "FALSE":
                return "off";
            default:
                result.AddError($"--deletion-protection '{token}' must be on or off");
                return null;
        }
    }

    private static string FlagHint(string? field)
    {
        var flag = field?.Split('.', '[')[0] switch
        {
            "tags" => "--tag",
            "untagKeys" => "--untag",
            "deletionProtection" => "--deletion-protection",
            "primary" => "--primary",
            "peer" => "--peer",
            _ => null,
        };
        return flag is null ? string.Empty : $" (set by {flag})";
    }
}
