using System.Text.Json.Nodes;
using Spectre.Console;
using Workflows.Cli.Output;
using Workflows.Cli.Pairs;
using Workflows.Core.Dsql.Exceptions;

namespace Workflows.Cli.Commands;

/// <summary>workflows teardown --cluster: one cluster with no live peer, retired from the CLI.</summary>
internal static class LoneClusterTeardown
{
    public static async Task<int> RunAsync(
        CliContext context,
        BackendSettings settings,
        (string Region, string Identifier) cluster,
        bool force,
        bool okIfGone,
        OutputFormat format,
        CancellationToken cancellationToken)
    {
        var console = format == OutputFormat.Table ? Consoles.Create(context.Out, context.Host) : null;
        console?.MarkupLine($"[bold]teardown[/] of the cluster {Markup.Escape(cluster.Region)} {Markup.Escape(cluster.Identifier)} on {Markup.Escape(settings.Describe())}");
        // json and text: the steps go to stderr, stdout is the result alone.
        Action<string> step = console is not null ? line => console.WriteLine(line) : line => context.Error.WriteLine(line);
        LoneResult result;
        try
        {
            await using var backend = await Backend.OpenAsync(settings, context.Host, cancellationToken);
            await backend.CheckReachableAsync(cluster.Region, cancellationToken);
            var retirer = new LoneCluster(backend, step);
            result = await retirer.RetireAsync(cluster.Region, cluster.Identifier, force, cancellationToken);
        }
        catch (DsqlServiceException e)
        {
            // The service refused a call (AccessDenied, Validation, Conflict, ...): its words, and nothing more is tried.
            await context.Error.WriteLineAsync($"error: {e.ErrorCode} from DSQL in {cluster.Region}: {e.Message}");
            return ExitCodes.Failed;
        }

        var code = result.Outcome switch
        {
            LoneOutcome.Deleted => ExitCodes.Success,
            LoneOutcome.NotFound => okIfGone ? ExitCodes.Success : ExitCodes.NothingToRetire,
            _ => ExitCodes.Failed,
        };
        var message = result.Outcome switch
        {
            LoneOutcome.Deleted => null,
            LoneOutcome.NotFound => $"nothing to retire: no cluster {result.Identifier} exists in {result.Region}; check the Region and identifier" +
                (okIfGone ? string.Empty : $" (exit code {ExitCodes.NothingToRetire}; --ok-if-gone makes this 0)"),
            LoneOutcome.Protected => $"the cluster {result.Identifier} in {result.Region} is deletion-protected; add --force to turn protection off and delete it (nothing was changed)",
            LoneOutcome.LinkedPeerExists => $"the cluster {result.Identifier} in {result.Region} is linked to {result.Peer}, which still exists; retire the pair instead: " +
                $"workflows teardown --primary {result.Region}:{result.Identifier} --peer {result.Peer}{(force ? " --force" : string.Empty)} (nothing was changed)",
            LoneOutcome.StillDeleting => $"the cluster {result.Identifier} in {result.Region} was still {result.LastStatus} after {LoneCluster.DefaultMaxWait.TotalMinutes:0} minutes; " +
                "the delete was accepted: run the same command again to see it gone",
            _ => throw new InvalidOperationException(result.Outcome.ToString()),
        };

        if (format == OutputFormat.Text)
        {
            // Columns: cluster, region, identifier, outcome, status, arn, peer (README, "Output formats").
            TextOutput.Line(context.Out, "cluster", result.Region, result.Identifier, Outcome(result.Outcome), result.LastStatus, result.Arn, result.Peer);
        }
        else if (format == OutputFormat.Json)
        {
            JsonOutput.Write(context.Out, new JsonObject
            {
                ["workflow"] = "teardown",
                ["cluster"] = new JsonObject { ["region"] = result.Region, ["identifier"] = result.Identifier, ["arn"] = result.Arn },
                ["outcome"] = Outcome(result.Outcome),
                ["status"] = result.LastStatus,
                ["peer"] = result.Peer,
                ["exitCode"] = code,
            });
        }
        else
        {
            new Fields()
                .Add("Cluster", $"{result.Region} {result.Identifier}")
                .Add("Outcome", Outcome(result.Outcome))
                .Write(console!);
        }

        if (message is not null)
        {
            await context.Error.WriteLineAsync(message);
        }

        return code;
    }

    private static string Outcome(LoneOutcome outcome) => outcome switch
    {
        LoneOutcome.Deleted => "DELETED",
        LoneOutcome.NotFound => "NOT_FOUND",
        LoneOutcome.Protected => "DELETION_PROTECTED",
        LoneOutcome.LinkedPeerExists => "PEER_EXISTS",
        _ => "STILL_DELETING",
    };
}
