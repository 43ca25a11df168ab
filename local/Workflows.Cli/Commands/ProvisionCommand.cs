using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Cli.Pairs;
using Workflows.Cli.Runs;
using Workflows.Core.Errors;
using Workflows.Core.Requests;

namespace Workflows.Cli.Commands;

/// <summary>workflows provision: the provision state machine with the real functions, on the embedded DSQL Local by default.</summary>
internal sealed class ProvisionCommand
{
    public const string Examples = """
        workflows provision
        workflows provision --primary-region eu-west-1 --peer-region eu-west-3 --witness-region eu-central-1 --tag team=data --json
        workflows provision --fault "op=CreateCluster,region=us-east-2,internal=1"        # the peer fails: the primary is cleaned up
        workflows provision --input @request.json --dsql-endpoint http://127.0.0.1:8787 --local-credentials
        workflows provision --aws --deletion-protection false
        workflows provision --output text | awk -F'\t' '$1 == "cluster" { print $2 ":" $3 }'
        """;

    private readonly CliContext _context;
    private readonly PairOptions _common = new();
    private readonly Option<string> _primary = new("--primary-region") { Description = "Region of the primary cluster.", DefaultValueFactory = _ => "us-east-1" };
    private readonly Option<string> _peer = new("--peer-region") { Description = "Region of the peer cluster.", DefaultValueFactory = _ => "us-east-2" };
    private readonly Option<string> _witness = new("--witness-region") { Description = "Witness Region (keeps the transaction log; no cluster).", DefaultValueFactory = _ => "us-west-2" };
    private readonly Option<string[]> _tags = new("--tag") { Description = "A tag for both clusters, key=value (repeatable).", AllowMultipleArgumentsPerToken = false };
    // A string, not a bool: System.CommandLine leaves a value that is not true/false unconsumed for a bool option
    // and then reports it as a stray argument, which names neither the option nor the values it takes.
    private readonly Option<string?> _deletionProtection = new("--deletion-protection")
    {
        Description = "Turn deletion protection on (true, the default) or off (false).",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = ParseOnOff,
    };
    private readonly Option<bool> _keepOnFailure = new("--keep-on-failure") { Description = "On a failure after the pair is linked, keep the clusters for inspection instead of deleting them." };
    private readonly Option<string?> _input = new("--input") { Description = "A whole ProvisionRequest instead of the flags above: inline JSON, or @path to a file." };

    public ProvisionCommand(CliContext context)
    {
        _context = context;
        Command = new Command("provision", """
            Provision an Aurora DSQL multi-Region cluster pair with the provision state machine and the real Lambda
            functions: by default against an embedded DSQL Local on a virtual clock (a 10-minute provisioning takes
            well under a second), whose clusters persist in the state directory for 'workflows teardown'.
            """)
        {
            _primary, _peer, _witness, _tags, _deletionProtection, _keepOnFailure, _input,
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
        StartupTrace.Mark("options read");
        var (input, fromFlags) = Request(parse);
        StartupTrace.Mark("request built");
        ProvisionRequest request;
        try
        {
            request = ProvisionRequest.Parse(input);
            StartupTrace.Mark("request parsed (ProvisionRequest.Parse)");
        }
        catch (InvalidRequestException e)
        {
            throw new UsageException($"invalid provision request: {e.Message}{(fromFlags ? FlagHint(e.Field) : string.Empty)}", e);
        }

        return await PairExecution.RunAsync(_context, settings, PairWorkflow.Provision, input, request.PrimaryRegion, parse.GetValue(_common.Name), format, cancellationToken);
    }

    private (string Json, bool FromFlags) Request(ParseResult parse)
    {
        if (parse.GetValue(_input) is { } input)
        {
            var flags = new Option[] { _primary, _peer, _witness, _tags, _deletionProtection, _keepOnFailure }.Where(o => PairOptions.Given(parse, o)).Select(o => o.Name).ToList();
            if (flags.Count > 0)
            {
                throw new UsageException($"--input is the whole request; it cannot be combined with {string.Join(", ", flags)}");
            }

            return (InputFiles.ReadJsonInput(_context.Host, input, "provision"), false);
        }

        var tags = new JsonObject();
        foreach (var tag in parse.GetValue(_tags) ?? [])
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

        var request = new JsonObject
        {
            ["primaryRegion"] = RegionFlag(parse.GetValue(_primary)!, "primaryRegion", "--primary-region"),
            ["peerRegion"] = RegionFlag(parse.GetValue(_peer)!, "peerRegion", "--peer-region"),
            ["witnessRegion"] = RegionFlag(parse.GetValue(_witness)!, "witnessRegion", "--witness-region"),
            ["deletionProtection"] = parse.GetValue(_deletionProtection) is not { } protection || bool.Parse(protection),
            ["tags"] = tags,
            ["keepOnFailure"] = parse.GetValue(_keepOnFailure),
        };
        return (request.ToJsonString(new JsonSerializerOptions { WriteIndented = false }), true);
    }

    // Whitespace is named as such here; every other Region rule is the request's own (the message names field and flag).
    private static string RegionFlag(string value, string field, string flag) =>
        CommonOptions.RegionWhitespace(value) is { } problem
            ? throw new UsageException($"invalid provision request: {field}: '{CommonOptions.Escaped(value)}' {problem} (set by {flag})")
            : value;

    private static string? ParseOnOff(System.CommandLine.Parsing.ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        var token = result.Tokens[0].Value;
        if (bool.TryParse(token, out _))
        {
            return token;
        }

        result.AddError($"--deletion-protection '{token}' must be true or false (or no value, meaning true)");
        return null;
    }

    private static string FlagHint(string? field)
    {
        var member = field?.Split('.', '[')[0];
        var flag = member switch
        {
            "primaryRegion" => "--primary-region",
            "peerRegion" => "--peer-region",
            "witnessRegion" => "--witness-region",
            "tags" => "--tag",
            "deletionProtection" => "--deletion-protection",
            "keepOnFailure" => "--keep-on-failure",
            _ => null,
        };
        return flag is null ? string.Empty : $" (set by {flag})";
    }
}
