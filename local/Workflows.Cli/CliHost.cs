namespace Workflows.Cli;

/// <summary>What the tool takes from its process: kept in one object so tests can hand in their own.</summary>
public sealed class CliHost
{
    /// <summary>Relative paths, and the default state directory, are resolved against this.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Whether stdout is a terminal: live progress then, plain lines otherwise.</summary>
    public bool IsTerminal { get; init; }

    /// <summary>The terminal's width in columns when known (else the console library detects it).</summary>
    public int? TerminalWidth { get; init; }

    /// <summary>
    /// The wall clock: where a virtual clock starts and how long a run took. Tests fix it, so two runs with the
    /// same seed print the same thing to the byte.
    /// </summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Hidden seam: where describe sends its HTTP requests (an in-process DSQL Local in tests).</summary>
    internal HttpMessageHandler? DsqlHandler { get; init; }

    /// <summary>Hidden seam: told of every IAM evaluation of an embedded run with --iam enforce (tests list what each role needed).</summary>
    internal Action<DsqlLocal.Iam.IamAuditEntry>? IamAudit { get; init; }

    public string? Variable(string name) => Environment(name) is { Length: > 0 } value ? value : null;

    public string ResolvePath(string path) => Path.GetFullPath(path, WorkingDirectory);
}

/// <summary>One invocation's writers and host, handed to every command.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, CliHost Host);
