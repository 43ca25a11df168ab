namespace Workflows.LambdaLocal;

/// <summary>
/// One function as the template declares it for the OS-only runtime (<c>provided.al2023</c>): its artifact directory
/// holds an executable named <c>bootstrap</c>, which is started as a process and speaks the Runtime API.
/// </summary>
public sealed record LambdaFunction
{
    /// <summary>The function's name (the template's logical id when the template gives no FunctionName).</summary>
    public required string Name { get; init; }

    /// <summary>The unpacked deployment package: the process's working directory and LAMBDA_TASK_ROOT (Lambda's /var/task).</summary>
    public required string ArtifactDirectory { get; init; }

    /// <summary>The function's Environment.Variables.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Timeout in seconds; Lambda's default is 3.</summary>
    public double TimeoutSeconds { get; init; } = 3;

    /// <summary>MemorySize in MB; Lambda's default is 128.</summary>
    public int MemorySizeMb { get; init; } = 128;

    public LambdaLogFormat LogFormat { get; init; } = LambdaLogFormat.Text;

    /// <summary>Used only with <see cref="LambdaLogFormat.Json"/>, as in Lambda; INFO by default.</summary>
    public LambdaLogLevel ApplicationLogLevel { get; init; } = LambdaLogLevel.Info;

    /// <summary>Filters the platform lines (START, END, REPORT) with <see cref="LambdaLogFormat.Json"/>; INFO by default.</summary>
    public LambdaLogLevel SystemLogLevel { get; init; } = LambdaLogLevel.Info;

    /// <summary>x86_64 or arm64. Recorded only: the bootstrap runs on the host's architecture, or through <see cref="Launcher"/>.</summary>
    public string Architecture { get; init; } = "x86_64";

    /// <summary>
    /// A command the bootstrap is started through, the bootstrap's path appended: for an arm64 artifact on an x86_64
    /// host, <c>["qemu-aarch64-static", "-L", "/usr/aarch64-linux-gnu"]</c>. Empty (the default): the bootstrap itself.
    /// </summary>
    public IReadOnlyList<string> Launcher { get; init; } = [];

    /// <summary>The function's own execution role's keys (Lambda gives each function its role's); null: the service-wide ones.</summary>
    public LambdaCredentials? Credentials { get; init; }
}
