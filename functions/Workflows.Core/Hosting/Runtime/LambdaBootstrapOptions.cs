namespace Workflows.Core.Hosting.Runtime;

/// <summary>What <see cref="LambdaBootstrap"/> runs with: the process's own by default, a test's where it sets them.</summary>
public sealed record LambdaBootstrapOptions
{
    /// <summary>The process environment, stdout, stderr, the system clock, SIGTERM handled.</summary>
    public static LambdaBootstrapOptions Process { get; } = new();

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Where the function's JSON log lines go (Lambda captures stdout).</summary>
    public TextWriter Output { get; init; } = Console.Out;

    /// <summary>Where the bootstrap says why it stopped, when there is no Runtime API to tell.</summary>
    public TextWriter Error { get; init; } = Console.Error;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>For tests: the HTTP handler the Runtime API client uses.</summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Stop polling for events on SIGTERM (Lambda's shutdown signal) and exit 0.</summary>
    public bool HandleSigterm { get; init; } = true;

    /// <summary>Set <c>_X_AMZN_TRACE_ID</c> per invocation, as Lambda's runtimes do, for code that reads it.</summary>
    public bool SetTraceIdVariable { get; init; } = true;
}
