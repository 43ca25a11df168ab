using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Workflows.Cli.Output;
using Workflows.Cli.Pairs;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Core.Requests;

namespace Workflows.Cli.Commands;

/// <summary>
/// workflows list: the clusters the workflows made, found by the tags every run puts on its clusters
/// (workflows:execution, workflows:state-machine), Region by Region, grouped into the pairs they form.
/// </summary>
internal sealed class ListCommand
{
    public const string Examples = """
        workflows list
        workflows list --region eu-west-1 --region eu-west-3 --json
        workflows list --dsql-endpoint http://127.0.0.1:8787 --local-credentials
        workflows list --output text | cut -f2,3,4      # execution, Region, identifier: one cluster a line
        """;

    /// <summary>
    /// Inferred: the Regions searched when none is given: the provision request's default pair and witness, and the
    /// Regions where Aurora DSQL offers multi-Region clusters. Give --region to search others.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultRegions =
        ["us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3"];

    private readonly CliContext _context;
    private readonly PairOptions _common = new();
    private readonly Option<string[]> _regions = new("--region")
    {
        Description = $"A Region to search (repeatable; default: {string.Join(", ", DefaultRegions)}).",
        AllowMultipleArgumentsPerToken = false,
    };

    public ListCommand(CliContext context)
    {
        _context = context;
        Command = new Command("list", """
            List the cluster pairs the workflows made (by the tags each run puts on its clusters), Region by Region, with
            each cluster's status, deletion protection and the execution that made it.
            """)
        {
            _regions,
        };
        foreach (var option in new Option[] { _common.Endpoint, _common.Aws, _common.LocalCredentials, _common.StateDir, _common.Output, _common.Json })
        {
            Command.Options.Add(option);
        }

        Command.SetAction((parse, cancellationToken) => ExecuteAsync(parse, cancellationToken));
    }

    public Command Command { get; }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var settings = _common.Read(parse, _context.Host);
        var format = _common.ReadOutput(parse);
        var regions = Regions(parse.GetValue(_regions));
        var found = new List<Listed>();
        try
        {
            await using var backend = await Backend.OpenAsync(settings, _context.Host, cancellationToken);
            await backend.CheckReachableAsync(regions[0], cancellationToken);
            foreach (var region in regions)
            {
                try
                {
                    found.AddRange(await ListRegionAsync(backend.Clients.ForRegion(region), cancellationToken));
                }
                catch (DsqlTransportException e)
                {
                    // A Region where the service does not answer (on AWS: one without Aurora DSQL) has nothing to list.
                    await _context.Error.WriteLineAsync($"warning: {region} skipped: {e.Message}");
                }
            }
        }
        catch (DsqlServiceException e)
        {
            await _context.Error.WriteLineAsync($"error: {e.ErrorCode} from DSQL: {e.Message}");
            return ExitCodes.Failed;
        }

        var pairs = found
            .GroupBy(c => c.Execution, StringComparer.Ordinal)
            .OrderBy(g => g.Min(c => c.Cluster.CreationTime))
            .ToList();
        if (format == OutputFormat.Text)
        {
            // Columns: cluster, execution, region, identifier, status, deletionProtectionEnabled, creationTime, arn,
            // stateMachine (README, "Output formats"); no lines when nothing was found.
            foreach (var c in pairs.SelectMany(g => g))
            {
                TextOutput.Line(_context.Out, "cluster", c.Execution, c.Region, c.Cluster.Identifier, c.Cluster.Status, TextOutput.Bool(c.Cluster.DeletionProtectionEnabled), Formats.Timestamp(c.Cluster.CreationTime), c.Cluster.Arn, c.StateMachine);
            }

            return ExitCodes.Success;
        }

        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(_context.Out, new JsonObject
            {
                ["target"] = settings.Describe(),
                ["regions"] = new JsonArray(regions.Select(r => (JsonNode?)r).ToArray()),
                ["pairs"] = new JsonArray(pairs.Select(g => (JsonNode?)new JsonObject
                {
                    ["execution"] = g.Key,
                    ["stateMachine"] = g.First().StateMachine,
                    ["clusters"] = new JsonArray(g.Select(c => (JsonNode?)new JsonObject
                    {
                        ["region"] = c.Region,
                        ["identifier"] = c.Cluster.Identifier,
                        ["arn"] = c.Cluster.Arn,
                        ["status"] = c.Cluster.Status,
                        ["deletionProtectionEnabled"] = c.Cluster.DeletionProtectionEnabled,
                        ["creationTime"] = Formats.Timestamp(c.Cluster.CreationTime),
                    }).ToArray()),
                }).ToArray()),
            });
            return ExitCodes.Success;
        }

        var console = Consoles.Create(_context.Out, _context.Host);
        console.MarkupLine($"[bold]list[/] on {Markup.Escape(settings.Describe())}: {pairs.Count} pair(s) made by the workflows in {string.Join(", ", regions)}");
        foreach (var pair in pairs)
        {
            console.WriteLine();
            console.MarkupLine($"Execution [bold]{Markup.Escape(pair.Key)}[/] ({pair.Count()} cluster(s){(pair.Count() == 2 ? string.Empty : ", not a whole pair")})");
            PairOutput.WriteClusters(console, pair.Select(c => new ClusterLine(c.Region, c.Cluster.Identifier, c.Cluster.Arn, c.Cluster.Status, c.Cluster.Endpoint)).ToList());
            console.MarkupLine($"Retire: [bold]{Markup.Escape(RetireCommand(pair.ToList(), settings))}[/]");
        }

        return ExitCodes.Success;
    }

    // The provision ran in its primary's Region, so the state machine's ARN names it.
    private static string RetireCommand(List<Listed> clusters, BackendSettings settings)
    {
        var where = settings.Mode switch
        {
            EndpointMode.Endpoint => $" --dsql-endpoint {settings.Endpoint}{(settings.LocalCredentials ? " --local-credentials" : string.Empty)}",
            EndpointMode.Aws => " --aws",
            _ => string.Empty,
        };
        var force = clusters.Any(c => c.Cluster.DeletionProtectionEnabled) ? " --force" : string.Empty;
        if (clusters.Count != 2)
        {
            return string.Join(" ; ", clusters.Select(c => $"workflows teardown --cluster {c.Region}:{c.Cluster.Identifier}{force}{where}"));
        }

        var primaryRegion = clusters[0].StateMachine?.Split(':') is { Length: > 3 } arn ? arn[3] : null;
        var primary = clusters.FirstOrDefault(c => c.Region == primaryRegion) ?? clusters[0];
        var peer = clusters.First(c => c != primary);
        return $"workflows teardown --primary {primary.Region}:{primary.Cluster.Identifier} --peer {peer.Region}:{peer.Cluster.Identifier}{force}{where}";
    }

    private static List<string> Regions(string[]? given)
    {
        if (given is not { Length: > 0 })
        {
            return [.. DefaultRegions];
        }

        return given.Select(r => CommonOptions.Region(r, "--region")).Distinct(StringComparer.Ordinal).ToList();
    }

    private sealed record Listed(string Region, GetClusterResponse Cluster, string Execution, string? StateMachine);

    // Every page of ListClusters, then GetCluster for the tags (ListClusters answers identifiers and ARNs only). A
    // cluster deleted between the two calls is simply not listed.
    private static async Task<List<Listed>> ListRegionAsync(IDsqlClient client, CancellationToken cancellationToken)
    {
        var listed = new List<Listed>();
        string? token = null;
        do
        {
            var page = await client.ListClustersAsync(new ListClustersRequest { NextToken = token }, cancellationToken);
            foreach (var summary in page.Clusters)
            {
                GetClusterResponse cluster;
                try
                {
                    cluster = await client.GetClusterAsync(summary.Identifier, cancellationToken);
                }
                catch (ResourceNotFoundException)
                {
                    continue;
                }

                if (cluster.Tags is { } tags && tags.TryGetValue(RequestRules.ExecutionTagKey, out var execution))
                {
                    listed.Add(new Listed(client.Region, cluster, execution, tags.GetValueOrDefault(RequestRules.StateMachineTagKey)));
                }
            }

            token = page.NextToken;
        }
        while (token is not null);

        return listed;
    }
}
