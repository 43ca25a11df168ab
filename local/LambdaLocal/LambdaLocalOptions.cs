namespace Workflows.LambdaLocal;

/// <summary>How the local Lambda service runs its functions.</summary>
public sealed record LambdaLocalOptions
{
    public string Region { get; init; } = "us-east-1";

    public string Account { get; init; } = "123456789012";

    /// <summary>Passed to every process as AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; none if null.</summary>
    public LambdaCredentials? Credentials { get; init; }

    /// <summary>Receives every kept log line (after Lambda's level filtering). Called on the reading thread; keep it quick.</summary>
    public Action<LambdaLogLine>? LogSink { get; init; }

    /// <summary>Deadlines, durations and polling waits; the system clock by default.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>After SIGTERM at shutdown, how long an instance may take to exit before it is killed.</summary>
    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a new process may take to reach its first /next. Lambda limits the Init phase to 10 seconds and, when
    /// it is exceeded, retries Init at the first invocation under the function's Timeout (docs: runtimes-context).
    /// Here the invocation fails with the timeout error instead (Inferred simplification; raise this to allow more).
    /// </summary>
    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often /proc/PID/status is read for the resident set size (memory enforcement and Max Memory Used).</summary>
    public TimeSpan MemoryPollInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Kill an instance whose resident set outgrows MemorySize. Approximate: see the README's limits.</summary>
    public bool EnforceMemory { get; init; } = true;

    /// <summary>PATH of the processes: Lambda's provided.al2023 value by default (Inferred from the runtime's documented variables).</summary>
    public string Path { get; init; } = "/usr/local/bin:/usr/bin/:/bin:/opt/bin";

    /// <summary>
    /// AWS_EXECUTION_ENV. The docs define it as the runtime identifier prefixed by AWS_Lambda_ (e.g. AWS_Lambda_java8)
    /// and document no value for the OS-only runtimes, so none is set by default (Inferred).
    /// </summary>
    public string? ExecutionEnv { get; init; }

    /// <summary>LAMBDA_RUNTIME_DIR: Lambda's /var/runtime; nothing local lives there, the variable only names it.</summary>
    public string RuntimeDirectory { get; init; } = "/var/runtime";

    /// <summary>Port of the Invoke API (127.0.0.1); 0 picks a free one.</summary>
    public int InvokeApiPort { get; init; }

    /// <summary>The texts of Lambda's own error documents.</summary>
    public LambdaErrorMessages Errors { get; init; } = new();

    /// <summary>Response payload limit of the Runtime API: 6,291,556 bytes (the figure in Lambda's error message).</summary>
    public int MaxResponseBytes { get; init; } = 6_291_556;

    /// <summary>Request payload limit of a synchronous Invoke: 6 MB (6,291,456 bytes, RequestTooLargeException).</summary>
    public int MaxRequestBytes { get; init; } = 6_291_456;
}
