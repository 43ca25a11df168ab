using DsqlLocal;

namespace Workflows.Cli.Pairs;

/// <summary>Where the functions' DSQL calls go.</summary>
internal enum EndpointMode
{
    /// <summary>DSQL Local in this process, on the engine's virtual clock; state kept in the state directory.</summary>
    Embedded,

    /// <summary>Any DSQL endpoint by URL (a running DSQL Local, for instance), in real time.</summary>
    Endpoint,

    /// <summary>The Regions' real DSQL endpoints with the default AWS credential chain, in real time.</summary>
    Aws,
}

/// <summary>Everything a provision or teardown needs to know about the DSQL side of the run.</summary>
/// <summary>How the run's Lambda functions run.</summary>
internal enum FunctionsMode
{
    /// <summary>Each step in this process, on the same generic host its bootstrap uses.</summary>
    InProcess,

    /// <summary>Each function's built bootstrap as a process, through the local Lambda service and the Runtime API.</summary>
    Process,
}

internal sealed record BackendSettings
{
    public FunctionsMode Functions { get; init; } = FunctionsMode.InProcess;

    /// <summary>With <see cref="FunctionsMode.Process"/>: the folder holding one folder per logical id with its bootstrap.</summary>
    public string? Artifacts { get; init; }

    public required EndpointMode Mode { get; init; }

    /// <summary>
    /// Embedded: the emulator also listens on a free 127.0.0.1 port for outside clients (workflows serve's DSQL
    /// line), their signatures checked against the wall clock; in-process functions keep its inline handler.
    /// </summary>
    public bool ListenForClients { get; init; }

    public Uri? Endpoint { get; init; }

    /// <summary>Sign with DSQL Local's documented key pair instead of the default credential chain (endpoint mode).</summary>
    public bool LocalCredentials { get; init; }

    public const int DefaultProvisioningSeconds = 600;
    public const int DefaultDeletionSeconds = 60;

    /// <summary>Embedded: simulated provisioning time; null = what the state directory used last, else 600 s.</summary>
    public TimeSpan? ProvisioningTime { get; init; }

    /// <summary>Embedded: simulated deletion time; null = what the state directory used last, else 60 s.</summary>
    public TimeSpan? DeletionTime { get; init; }

    public IReadOnlyList<FaultRule> Faults { get; init; } = [];

    public int? Seed { get; init; }

    /// <summary>
    /// Embedded: run the emulator and the functions on the wall clock sped up by this factor instead of on a
    /// virtual clock (workflows serve --time-scale: waits really wait, only faster). Null = the virtual clock.
    /// </summary>
    public double? TimeScale { get; init; }

    /// <summary>--initial-wait: seconds before the first status check (the request's polling.initialDelaySeconds).</summary>
    public int? InitialWait { get; init; }

    /// <summary>--poll: seconds between status checks, fixed (the request's polling min and max delay).</summary>
    public int? Poll { get; init; }

    /// <summary>
    /// Embedded: DSQL Local enforces IAM, and each function signs with its own key bound to the role template.yaml
    /// gives it (<see cref="FunctionRoles"/>).
    /// </summary>
    public bool IamEnforce { get; init; }

    /// <summary>With <see cref="IamEnforce"/>: actions taken out of functions' roles for this run.</summary>
    public IReadOnlyList<RoleRevocation> IamRevocations { get; init; } = [];

    /// <summary>With <see cref="IamEnforce"/>: told of every IAM evaluation (tests list what each role was asked for).</summary>
    public Action<DsqlLocal.Iam.IamAuditEntry>? IamAudit { get; init; }

    /// <summary>The Region the run starts in (the engine's): roles' ${AWS::Region} resolves to it.</summary>
    public string Region { get; init; } = DefaultRegion;

    /// <summary>The engine's Region when nothing says otherwise.</summary>
    public const string DefaultRegion = "us-east-1";

    public required string StateDirectory { get; init; }

    /// <summary>One phrase for summaries and errors: where the clusters live.</summary>
    public string Describe() => Mode switch
    {
        EndpointMode.Embedded => $"embedded DSQL Local (state in {StateDirectory})",
        EndpointMode.Endpoint => $"DSQL endpoint {Endpoint}",
        _ => "AWS (default credential chain)",
    };

    /// <summary>The same, as recorded with a provision so a teardown can check it targets the same place.</summary>
    public string Target() => Mode switch
    {
        EndpointMode.Embedded => "embedded",
        EndpointMode.Endpoint => Endpoint!.ToString(),
        _ => "aws",
    };
}
