using System.Text.Json;

namespace Workflows.Cli.Tests.Support;

/// <summary>What one in-process invocation of the tool printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Parses stdout as a single JSON document (throws if anything else was printed).</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the tool in-process against a scratch working directory (shared with the end-to-end suite, which links this file) with an empty environment, so a developer's
/// WORKFLOWS_HOME or AWS variables never leak into a test.
/// </summary>
internal sealed partial class CliRun : IDisposable
{
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public CliRun()
    {
        WorkingDirectory = Directory.CreateTempSubdirectory("workflows-cli-").FullName;

        // WORKFLOWS_TEST_IAM=enforce|off sets the IAM mode of every embedded run of a suite (enforce: each function
        // on its own template role). A suite may give its own default (the end-to-end suite enforces); without
        // either, the tool's environment stays empty.
        var iam = System.Environment.GetEnvironmentVariable("WORKFLOWS_TEST_IAM") is { Length: > 0 } given ? given : null;
        DefaultIam(ref iam);
        if (iam is not null)
        {
            _environment["WORKFLOWS_IAM"] = iam;
        }
    }

    /// <summary>Implemented by a suite that has a default IAM mode: sets <paramref name="mode"/> when WORKFLOWS_TEST_IAM left it null.</summary>
    static partial void DefaultIam(ref string? mode);

    public string WorkingDirectory { get; }

    public HttpMessageHandler? DsqlHandler { get; init; }

    /// <summary>The wall clock the tool sees (the system's when null).</summary>
    public TimeProvider? Time { get; init; }

    /// <summary>Handed to the tool as the caller's token: cancelling it is what Ctrl-C does.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>With <see cref="IsTerminal"/>: the terminal's width in columns.</summary>
    public int? TerminalWidth { get; init; }

    /// <summary>Told of every IAM evaluation of an embedded run with --iam enforce.</summary>
    public Action<DsqlLocal.Iam.IamAuditEntry>? IamAudit { get; init; }

    /// <summary>Pretend stdout is a terminal, to exercise the live progress display.</summary>
    public bool IsTerminal { get; init; }

    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    /// <summary>The default state directory of a command run here.</summary>
    public string StateDirectory => Path.Combine(WorkingDirectory, ".workflows");

    public CliRun With(string variable, string value)
    {
        _environment[variable] = value;
        return this;
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var host = new CliHost
        {
            WorkingDirectory = WorkingDirectory,
            Environment = name => _environment.GetValueOrDefault(name),
            IsTerminal = IsTerminal,
            TerminalWidth = TerminalWidth,
            DsqlHandler = DsqlHandler,
            IamAudit = IamAudit,
            Time = Time ?? TimeProvider.System,
        };
        var code = await Workflows.Cli.Program.RunAsync(args, stdout, stderr, host, Cancellation);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A scratch directory left behind is harmless.
        }
    }
}
