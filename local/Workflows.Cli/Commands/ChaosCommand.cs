using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Workflows.Cli.Chaos;
using Workflows.Cli.Output;

namespace Workflows.Cli.Commands;

/// <summary>workflows chaos: seeded provision/teardown runs under faults, duplicates and kills, checked for leaks.</summary>
internal sealed class ChaosCommand
{
    public const string Examples = """
        workflows chaos --runs 200 --seed 1
        workflows chaos --runs 1000 --seed 1 --json
        workflows chaos --seed 1 --only 17   # repeat one run (what a failing run prints)
        workflows chaos --runs 20 --seed 1 --crash-rate 0.2   # more real SIGKILLs
        workflows chaos --runs 20 --seed 1 --iam enforce   # every function signs with its own template role
        workflows chaos --seed 1 --only 30   # a create failure with protection on: once leaked (README), now retired
        """;

    private readonly CliContext _context;
    private readonly Option<int> _runs = new("--runs") { Description = "How many runs (each a fresh state directory).", DefaultValueFactory = _ => 100 };
    private readonly Option<int> _seed = new("--seed") { Description = "Seeds every run's scenario (run r draws from seed + r): the same seed gives the same report.", DefaultValueFactory = _ => 1 };
    private readonly Option<int?> _only = new("--only") { Description = "Run only this run number of the campaign (to reproduce a failure)." };
    private readonly Option<double> _crashRate = new("--crash-rate") { Description = "Share of runs (0..1) whose kill is a real SIGKILL of a 'workflows' process (a process start each); the other kills are Ctrl-C in-process.", DefaultValueFactory = _ => 0.05 };
    private readonly Option<int> _parallel = new("--parallel") { Description = "Runs at once (each has its own state directory).", DefaultValueFactory = _ => 2 };
    private readonly Option<string?> _workDir = new("--work-dir") { Description = "Where the runs' scratch state directories go (default: a new temporary directory); failed runs are kept there." };
    private readonly Option<string[]> _without = new("--without")
    {
        Description = $"Leave a kind out of every scenario (repeatable): {string.Join(", ", ChaosScenario.Excludable)}. The other draws stay the same.",
        AllowMultipleArgumentsPerToken = false,
    };

    // The same --iam/--iam-revoke as provision (and the same WORKFLOWS_IAM default), typed into every command.
    private readonly PairOptions _pair = new();
    private readonly Option<bool> _json = CommonOptions.Json("the report");
    private readonly Option<string?> _output = CommonOptions.Output();

    public ChaosCommand(CliContext context)
    {
        _context = context;
        Command = new Command("chaos", """
            Run provision and teardown many times under injected throttling (Retry-After up to 90 s), 5xx errors,
            latency, create failures, Region outages, duplicate requests and kills, each run on a fresh embedded
            state directory and continued the way the CLI's own output advises; then count leaked, duplicate and
            stuck clusters and wrong terminal states. Exit 0 only if every count is 0.
            """)
        {
            _runs, _seed, _only, _crashRate, _parallel, _workDir, _without, _pair.Iam, _pair.IamRevoke, _output, _json,
        };
        Command.SetAction((parse, cancellationToken) => ExecuteAsync(parse, cancellationToken));
    }

    public Command Command { get; }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var format = CommonOptions.ReadOutput(parse, _output, _json);
        var runs = parse.GetValue(_runs);
        if (runs is < 1 or > 100_000)
        {
            throw new UsageException($"--runs {runs} must be from 1 to 100000");
        }

        var crashRate = parse.GetValue(_crashRate);
        if (crashRate is < 0 or > 1 || double.IsNaN(crashRate))
        {
            throw new UsageException($"--crash-rate {crashRate.ToString(CultureInfo.InvariantCulture)} must be from 0 to 1");
        }

        var parallel = parse.GetValue(_parallel);
        if (parallel is < 1 or > 64)
        {
            throw new UsageException($"--parallel {parallel} must be from 1 to 64");
        }

        if (parse.GetValue(_only) is < 0)
        {
            throw new UsageException("--only must be a run number, 0 or more");
        }

        var without = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in parse.GetValue(_without) ?? [])
        {
            if (!ChaosScenario.Excludable.Contains(kind))
            {
                throw new UsageException($"--without '{kind}' is not a kind; expected one of {string.Join(", ", ChaosScenario.Excludable)}");
            }

            without.Add(kind);
        }

        var (iam, revocations) = _pair.ReadIam(parse, _context.Host, embedded: true);
        if (iam)
        {
            // Checked once here: a revocation the template's roles cannot take would otherwise fail every command of every run.
            Pairs.FunctionRoles.Build(Pairs.PairRunner.TemplatePath, Pairs.BackendSettings.DefaultRegion, Pairs.PairRunner.Account, revocations);
        }

        var work = parse.GetValue(_workDir) is { } given ? _context.Host.ResolvePath(given) : Directory.CreateTempSubdirectory("workflows-chaos-").FullName;
        var settings = new ChaosSettings
        {
            Seed = parse.GetValue(_seed),
            Runs = runs,
            Only = parse.GetValue(_only),
            CrashRate = crashRate,
            Parallel = parallel,
            WorkDirectory = work,
            Without = without,
            IamEnforce = iam,
            IamRevocations = [.. revocations.Select(r => $"{r.Function}={r.Action}")],
            IamAudit = _context.Host.IamAudit,
        };
        var report = await ChaosCampaign.RunAsync(settings, null, cancellationToken);
        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(_context.Out, report.ToJson());
        }
        else if (format == OutputFormat.Text)
        {
            WriteText(_context.Out, report);
        }
        else
        {
            Write(Consoles.Create(_context.Out, _context.Host.IsTerminal), report, work);
        }

        return report.Passed ? ExitCodes.Success : ExitCodes.Failed;
    }

    private static void Write(IAnsiConsole console, ChaosReport report, string work)
    {
        var fields = new Fields()
            .Add("Result", report.Passed ? "PASSED (every count is 0)" : "FAILED")
            .Add("Seed", Text(report.Seed))
            .Add("Runs", Text(report.Runs.Count))
            .Add("Commands", Text(report.CommandsRun) + " (a measurement: reruns vary)")
            .Add("Leaked", Text(report.Leaked))
            .Add("Duplicate", Text(report.Duplicate))
            .Add("Stuck", Text(report.Stuck))
            .Add("Wrong terminal", Text(report.WrongTerminal))
            .Add("Without", report.Without.Count == 0 ? "(nothing left out)" : string.Join(", ", report.Without))
            .Add("Wall time", string.Create(CultureInfo.InvariantCulture, $"{report.Wall.TotalSeconds:0.0} s"));
        fields.Write(console);
        var table = new Table().AddColumn("Fault kind").AddColumn(new TableColumn("Runs").RightAligned());
        foreach (var (kind, count) in report.FaultKinds)
        {
            table.AddRow(Markup.Escape(kind), Text(count));
        }

        console.Write(table);
        foreach (var failure in report.Failures)
        {
            console.WriteLine();
            console.MarkupLine($"[bold]run {failure.Run}[/]: {Markup.Escape(failure.Scenario)}");
            foreach (var problem in failure.Problems)
            {
                console.WriteLine("  " + problem);
            }

            console.WriteLine($"  reproduce: {report.Reproduce(failure)}   (state kept in {Path.Combine(work, $"run-{failure.Run}")})");
        }
    }

    /// <summary>
    /// --output text: "result" (result, PASSED|FAILED, seed, runs, commands, leaked, duplicate, stuck, wrongTerminal),
    /// one "fault" line per fault kind (fault, kind, runs), one "failure" line per failed run (failure, run, scenario,
    /// reproduce). README, "Output formats".
    /// </summary>
    private static void WriteText(TextWriter output, ChaosReport report)
    {
        TextOutput.Line(output, "result", report.Passed ? "PASSED" : "FAILED", Text(report.Seed), Text(report.Runs.Count), Text(report.CommandsRun), Text(report.Leaked), Text(report.Duplicate), Text(report.Stuck), Text(report.WrongTerminal));
        foreach (var (kind, count) in report.FaultKinds)
        {
            TextOutput.Line(output, "fault", kind, Text(count));
        }

        foreach (var failure in report.Failures)
        {
            TextOutput.Line(output, "failure", Text(failure.Run), failure.Scenario, report.Reproduce(failure));
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
