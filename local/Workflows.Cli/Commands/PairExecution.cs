using Spectre.Console;
using System.Text.Json.Nodes;
using Workflows.Cli.Output;
using Workflows.Cli.Pairs;
using Workflows.Cli.Runs;
using Workflows.Engine;

namespace Workflows.Cli.Commands;

/// <summary>What provision and teardown do once their request is valid: run it, show it, keep it.</summary>
internal static class PairExecution
{
    public static async Task<int> RunAsync(
        CliContext context,
        BackendSettings settings,
        PairWorkflow workflow,
        string input,
        string region,
        string? name,
        bool json,
        CancellationToken cancellationToken)
    {
        var progress = RunProgress.Create(context, json);
        if (!json)
        {
            var console = Consoles.Create(context.Out, context.Host.IsTerminal);
            console.MarkupLine($"[bold]{workflow.Verb}[/] on {Markup.Escape(settings.Describe())}");
        }

        PairRun run;
        string logPath;
        await using (var backend = await Backend.OpenAsync(settings, context.Host, cancellationToken))
        {
            logPath = backend.Log.Path;
            run = await PairRunner.RunAsync(backend, workflow, input, region, name, settings.Seed, progress, cancellationToken);
        }

        var record = RunRecord.From(run.Result, run.StateMachineArn, run.PutEvents, run.Wall);
        record.Execution["lambdaInvocations"] = run.LambdaInvocations;
        var savedTo = LastRunStore.Save(settings.StateDirectory, record);
        var succeeded = run.Result.Status == ExecutionStatus.Succeeded;
        if (succeeded && workflow == PairWorkflow.Provision && run.Result.Output is { } output && JsonNode.Parse(output) is { } node)
        {
            LastProvision.Save(settings.StateDirectory, settings.Target(), run.Result.ExecutionArn, node);
        }

        if (json)
        {
            JsonOutput.Write(context.Out, PairOutput.Json(run, record));
        }
        else
        {
            PairOutput.Write(Consoles.Create(context.Out, context.Host.IsTerminal), run, savedTo, logPath, NextStep(workflow, run, settings));
        }

        return succeeded ? ExitCodes.Success : ExitCodes.Failed;
    }

    private static string? NextStep(PairWorkflow workflow, PairRun run, BackendSettings settings)
    {
        var where = settings.Mode switch
        {
            EndpointMode.Endpoint => $" --dsql-endpoint {settings.Endpoint}{(settings.LocalCredentials ? " --local-credentials" : string.Empty)}",
            EndpointMode.Aws => " --aws",
            _ => string.Empty,
        };
        if (workflow == PairWorkflow.Provision && run.Result.Status == ExecutionStatus.Succeeded)
        {
            return $"workflows teardown --from-last-run --force{where}";
        }

        if (workflow == PairWorkflow.Teardown && run.Result.Error == "DeletionProtectionEnabledException")
        {
            return "add --force to turn deletion protection off and delete the pair";
        }

        return null;
    }
}
