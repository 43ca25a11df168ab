using System.CommandLine;
using Workflows.Cli.Output;
using Workflows.Cli.Runs;
using Workflows.Engine;
using Workflows.Engine.Definition;
using Workflows.Engine.Tasks;
using Workflows.Engine.Time;
using Workflows.Templates;

namespace Workflows.Cli.Commands;

/// <summary>workflows run: one execution of an ASL file on the local engine, virtual time by default.</summary>
internal sealed class RunCommand
{
    private const string AslSuffix = ".asl.json";

    public const string Examples = """
        workflows run wait.asl.json --input '{"seconds":31536000}'
        workflows run provision.asl.json --input @input.json --mock-config mocks.json --test-case RetryPath --seed 7
        workflows run provision.asl.json --json
        workflows run statemachines/provision.asl.json --input @events/provision-input.json --mock-config mocks.json --test-case HappyPath
        """;

    private readonly CliContext _context;
    private readonly Argument<string> _file = new("file") { Description = "The state machine definition (Amazon States Language, JSONPath)." };
    private readonly Option<string?> _input = new("--input") { Description = "Execution input: inline JSON, or @path to read it from a file (default {})." };
    private readonly Option<string?> _name = new("--name") { Description = "Execution name (AWS rules: 1-80 characters, no spaces or special characters); default a seeded UUID." };
    private readonly Option<string?> _mockConfig = new("--mock-config") { Description = "A Step Functions Local MockConfigFile; needs --test-case." };
    private readonly Option<string?> _testCase = new("--test-case") { Description = "The test case of --mock-config to apply." };
    private readonly Option<string?> _machineName = new("--state-machine-name") { Description = "The machine's name in the mock config and ARNs (default: the file name without .asl.json)." };
    private readonly Option<int?> _seed = new("--seed")
    {
        Description = "Seeds retry jitter, States.UUID, States.MathRandom and the default name, for reproducible runs.",
        CustomParser = ParseSeed,
    };
    private readonly Option<bool> _realTime = new("--real-time") { Description = "Wait on the wall clock instead of virtual time (demos)." };
    private readonly Option<string?> _template = new("--template")
    {
        Description = "A SAM template whose state machine has this file as DefinitionUri: its DefinitionSubstitutions fill the file's ${...} placeholders (default: the nearest template.yaml in the file's folder or above, when the file has placeholders).",
    };
    private readonly Option<bool> _json = CommonOptions.Json("the outcome");
    private readonly Option<string?> _output = CommonOptions.Output();
    private readonly Option<string?> _stateDir = CommonOptions.StateDir();
    private readonly Option<string> _functions = CommonOptions.Functions();
    private readonly Option<string?> _artifacts = CommonOptions.Artifacts();
    private readonly Option<string?> _dsqlEndpoint = new("--dsql-endpoint")
    {
        Description = "With --functions process: the functions' DSQL endpoint (AWS_ENDPOINT_URL_DSQL), e.g. a running DSQL Local; they sign with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else DSQL Local's key pair.",
    };

    public RunCommand(CliContext context)
    {
        _context = context;
        Command = new Command("run", """
            Run a state machine on the local engine: waits, retries and timeouts take no wall time (virtual clock).
            Tasks run mocked (--mock-config/--test-case), events:putEvents goes to a local bus; the result is saved
            for 'workflows history'.
            """)
        {
            _file, _input, _name, _mockConfig, _testCase, _machineName, _template, _seed, _realTime, _output, _json, _stateDir, _functions, _artifacts, _dsqlEndpoint,
        };
        Command.SetAction((parse, cancellationToken) => ExecuteAsync(parse, cancellationToken));
    }

    public Command Command { get; }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var host = _context.Host;
        var file = parse.GetValue(_file)!;
        var format = CommonOptions.ReadOutput(parse, _output, _json);
        var mode = CommonOptions.ReadFunctions(parse, _functions, _artifacts, host, out var artifacts);
        var (text, bound) = Substitute(host, file, InputFiles.ReadText(host, file, "definition file"), parse.GetValue(_template));
        if (mode == Pairs.FunctionsMode.Process && bound is null)
        {
            throw new UsageException($"--functions process: {file} is not the DefinitionUri of a state machine in a SAM template (--template), so there are no functions to start");
        }

        if (parse.GetValue(_dsqlEndpoint) is not null && mode != Pairs.FunctionsMode.Process)
        {
            throw new UsageException("--dsql-endpoint goes with --functions process (it is the functions' endpoint)");
        }

        var definition = LoadDefinition(text, file);
        if (definition is null)
        {
            return ExitCodes.BadUsage;
        }

        var input = InputFiles.ReadJsonInput(host, parse.GetValue(_input));
        var machine = parse.GetValue(_machineName) ?? DefaultMachineName(file);
        var (mocks, testCase) = LoadMocks(parse, machine);
        var progress = RunProgress.Create(_context, format);
        var engine = new AslEngine(new EngineOptions
        {
            ClockMode = parse.GetValue(_realTime) ? ClockMode.RealTime : ClockMode.Virtual,
            Clock = parse.GetValue(_realTime) ? null : new VirtualClock(DateTimeOffset.FromUnixTimeMilliseconds(host.Time.GetUtcNow().ToUnixTimeMilliseconds())),
            Seed = parse.GetValue(_seed),
            StateMachineName = machine,
            MockConfig = mocks,
            TestCase = testCase,
            OnHistoryEvent = progress.OnEvent,
        });

        var stateDirectory = LastRunStore.DirectoryFor(host, parse.GetValue(_stateDir));
        using var functionLog = mode == Pairs.FunctionsMode.Process ? new Pairs.FunctionLog(stateDirectory, engine.Clock) : null;
        await using var lambda = functionLog is null
            ? null
            : await StartFunctionsAsync(bound!.Value, artifacts!, parse.GetValue(_dsqlEndpoint), host, engine, functionLog, cancellationToken);
        var wallStart = host.Time.GetTimestamp();
        Task<ExecutionResult> run;
        try
        {
            run = engine.StartExecutionAsync(definition, input, parse.GetValue(_name), cancellationToken);
        }
        catch (ExecutionRequestException e)
        {
            throw new UsageException($"{(e.Code == "InvalidName" ? "--name" : "--input")}: {e.Message}", e);
        }
        catch (AslValidationException e)
        {
            // Resources nothing can perform are only known once mocks and integrations are settled: same report.
            ReportProblems(e, file);
            return ExitCodes.BadUsage;
        }

        var result = await progress.TrackAsync(run, engine.Clock, () => host.Time.GetElapsedTime(wallStart));
        var wall = host.Time.GetElapsedTime(wallStart);
        var putEvents = engine.EventBus.Events;
        var record = RunRecord.From(result, engine.StateMachineArn, putEvents, wall);
        var savedTo = LastRunStore.Save(stateDirectory, record);

        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(_context.Out, RunJson.Build(result, record));
        }
        else if (format == OutputFormat.Text)
        {
            RunJson.WriteText(_context.Out, RunJson.Build(result, record));
        }
        else
        {
            RunSummary.Write(Consoles.Create(_context.Out, host), result, putEvents, wall, savedTo);
        }

        if (result.Status == ExecutionStatus.Aborted)
        {
            await _context.Error.WriteLineAsync($"interrupted: the execution was stopped; its history so far is in {savedTo} (workflows history)");
            return ExitCodes.Interrupted;
        }

        return result.Status == ExecutionStatus.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
    }

    // The project's own ASL files carry ${...} placeholders that SAM fills at deploy time; the same values (the
    // functions' synthetic local ARNs, the bus name) make the file runnable here with its tasks mocked.
    private static (string Text, (string TemplatePath, BoundStateMachine Machine)? Bound) Substitute(CliHost host, string file, string text, string? templateOption)
    {
        var templatePath = templateOption is not null
            ? host.ResolvePath(templateOption)
            : text.Contains("${", StringComparison.Ordinal) ? FindTemplateAbove(host.ResolvePath(file)) : null;
        if (templatePath is null)
        {
            return (text, null);
        }

        SamTemplate template;
        try
        {
            template = SamTemplate.Parse(InputFiles.ReadText(host, templatePath, "--template"), Path.GetDirectoryName(templatePath));
        }
        catch (FormatException e)
        {
            throw new UsageException($"--template '{templatePath}': {e.Message}", e);
        }

        var machine = TemplateBinder.FindStateMachineFor(template, host.ResolvePath(file));
        if (machine is null)
        {
            if (templateOption is null)
            {
                return (text, null); // a template nearby that is about other files: the engine names the placeholders left
            }

            throw new UsageException($"--template '{templateOption}': no AWS::Serverless::StateMachine has DefinitionUri {file}");
        }

        try
        {
            var bound = TemplateBinder.Substitute(template, machine);
            return (bound.DefinitionJson, (templatePath, bound));
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new UsageException($"--template '{templatePath}': state machine {machine}: {e.Message}", e);
        }
    }

    /// <summary>--functions process: the machine's functions as their bootstraps behind the local Lambda; tasks not mocked go to them.</summary>
    private static async Task<Workflows.LambdaLocal.LambdaService> StartFunctionsAsync(
        (string TemplatePath, BoundStateMachine Machine) bound, string artifacts, string? endpoint, CliHost host, AslEngine engine, Pairs.FunctionLog log, CancellationToken cancellationToken)
    {
        Uri? dsql = null;
        if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out dsql) || (dsql.Scheme != Uri.UriSchemeHttp && dsql.Scheme != Uri.UriSchemeHttps)))
        {
            throw new UsageException($"--dsql-endpoint '{endpoint}' must be an absolute http or https URL");
        }

        var key = host.Environment("AWS_ACCESS_KEY_ID");
        var secret = host.Environment("AWS_SECRET_ACCESS_KEY");
        var credentials = !string.IsNullOrEmpty(key) && !string.IsNullOrEmpty(secret)
            ? new Workflows.LambdaLocal.LambdaCredentials(key, secret, host.Environment("AWS_SESSION_TOKEN") is { Length: > 0 } token ? token : null)
            : new Workflows.LambdaLocal.LambdaCredentials(DsqlLocal.DsqlLocalDefaults.AccessKeyId, DsqlLocal.DsqlLocalDefaults.SecretAccessKey);
        var lambda = await Pairs.ProcessFunctions.StartAsync(
            bound.Machine.Functions, bound.TemplatePath, artifacts, dsql, credentials, log.WriteProcessLine, "us-east-1", "123456789012", cancellationToken);
        Workflows.LambdaLocal.EngineRegistration.RegisterAll(lambda, engine.Lambda);
        return lambda;
    }

    private static string? FindTemplateAbove(string file)
    {
        for (var dir = Path.GetDirectoryName(file); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            var candidate = Path.Combine(dir, "template.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private StateMachineDefinition? LoadDefinition(string json, string file)
    {
        try
        {
            return AslEngine.Load(json);
        }
        catch (AslValidationException e)
        {
            ReportProblems(e, file);
            return null;
        }
    }

    private void ReportProblems(AslValidationException e, string file)
    {
        _context.Error.WriteLine($"error: {file} is not a state machine this engine can run ({e.Problems.Count} problem(s)):");
        foreach (var problem in e.Problems)
        {
            _context.Error.WriteLine($"  {problem}");
        }
    }

    private (MockConfig? Mocks, string? TestCase) LoadMocks(ParseResult parse, string machine)
    {
        var path = parse.GetValue(_mockConfig);
        var testCase = parse.GetValue(_testCase);
        if (path is null && testCase is null)
        {
            return (null, null);
        }

        if (path is null || testCase is null)
        {
            throw new UsageException("--mock-config and --test-case go together: give both or neither");
        }

        MockConfig mocks;
        try
        {
            mocks = MockConfig.Parse(InputFiles.ReadText(_context.Host, path, "mock config"));
        }
        catch (FormatException e)
        {
            throw new UsageException($"--mock-config '{path}': {e.Message}", e);
        }

        try
        {
            _ = mocks.TestCase(machine, testCase);
        }
        catch (ArgumentException e)
        {
            // ArgumentException appends "(Parameter 'x')", which names our code's parameter, not the user's option.
            var cut = e.Message.IndexOf(" (Parameter", StringComparison.Ordinal);
            var message = cut >= 0 ? e.Message[..cut] : e.Message;
            throw new UsageException($"--test-case: {message} (the machine name comes from --state-machine-name or the file name)", e);
        }

        return (mocks, testCase);
    }

    // The stock message names the CLR type (System.Nullable`1[System.Int32]); users need the option and the rule.
    private static int? ParseSeed(System.CommandLine.Parsing.ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(token, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var seed))
        {
            return seed;
        }

        result.AddError($"--seed '{token}' is not a whole number (a 32-bit integer)");
        return null;
    }

    private static string DefaultMachineName(string file)
    {
        var name = Path.GetFileName(file);
        return name.EndsWith(AslSuffix, StringComparison.OrdinalIgnoreCase) ? name[..^AslSuffix.Length] : Path.GetFileNameWithoutExtension(name);
    }
}
