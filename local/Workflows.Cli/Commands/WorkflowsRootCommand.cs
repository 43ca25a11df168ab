using System.CommandLine;

namespace Workflows.Cli.Commands;

/// <summary>The command tree: one class per command.</summary>
public static class WorkflowsRootCommand
{
    private const string Description = """
        Provision, update and retire Aurora DSQL multi-Region cluster pairs with the project's state machines and Lambda
        functions (locally on an embedded DSQL Local by default, or against an endpoint or AWS), run any Amazon
        States Language state machine on a virtual clock, inspect histories, and look at clusters.

        Exit codes: 0 success, 1 execution failed or timed out (or the service refused a call), 2 bad usage, input
        or definition, 3 internal error, 4 teardown found nothing to retire (--ok-if-gone: 0), 130 interrupted (the
        run was stopped and saved).
        """;

    private const string Examples = """
        workflows provision
        workflows update --from-last-run --deletion-protection off
        workflows teardown --from-last-run
        workflows run statemachines/provision.asl.json --input '{"region":"us-east-1"}'
        workflows run provision.asl.json --input @input.json --mock-config mocks.json --test-case HappyPath
        workflows run wait.asl.json --json | jq .status
        workflows history
        workflows list
        workflows describe --region us-east-1 --identifier <id> --dsql-endpoint http://127.0.0.1:8787 --local-credentials
        workflows dsql-local --port 8787
        workflows serve --time-scale 60
        """;

    public static RootCommand Create(CliContext context)
    {
        var root = new RootCommand(Description);
        var run = new RunCommand(context);
        var history = new HistoryCommand(context);
        var describe = new DescribeCommand(context);
        var provision = new ProvisionCommand(context);
        var teardown = new TeardownCommand(context);
        var update = new UpdateCommand(context);
        var serve = new ServeCommand(context);
        var list = new ListCommand(context);
        var chaos = new ChaosCommand(context);
        root.Subcommands.Add(provision.Command);
        root.Subcommands.Add(update.Command);
        root.Subcommands.Add(teardown.Command);
        root.Subcommands.Add(list.Command);
        root.Subcommands.Add(run.Command);
        root.Subcommands.Add(history.Command);
        root.Subcommands.Add(describe.Command);
        root.Subcommands.Add(serve.Command);
        root.Subcommands.Add(chaos.Command);
        var dsqlLocal = DsqlLocalCommand.Create();
        root.Subcommands.Add(dsqlLocal);
        ToolVersion.InstallOn(root);
        HelpWithExamples.InstallOn(root)
            .Add(root, Examples)
            .Add(provision.Command, ProvisionCommand.Examples)
            .Add(update.Command, UpdateCommand.Examples)
            .Add(teardown.Command, TeardownCommand.Examples)
            .Add(list.Command, ListCommand.Examples)
            .Add(run.Command, RunCommand.Examples)
            .Add(history.Command, HistoryCommand.Examples)
            .Add(describe.Command, DescribeCommand.Examples)
            .Add(serve.Command, ServeCommand.Examples)
            .Add(chaos.Command, ChaosCommand.Examples)
            .Add(dsqlLocal, DsqlLocalCommand.Examples);
        return root;
    }
}
