namespace DsqlLocal;

/// <summary>Everything that configures an emulator instance; the CLI and the config file fill the same object.</summary>
public sealed class DsqlLocalOptions
{
    public string Host { get; set; } = DsqlLocalDefaults.Host;

    /// <summary>0 picks any free port; read the real one from <see cref="DsqlLocalServer.BaseAddress"/>.</summary>
    public int Port { get; set; } = DsqlLocalDefaults.Port;

    /// <summary>
    /// The clock request signatures are checked against (the 5-minute skew rule); null: the server's own clock. A
    /// host that runs the emulator on a virtual clock while real processes sign with the wall clock passes the wall
    /// clock here, so simulated time can jump ahead without every signature looking expired.
    /// </summary>
    public TimeProvider? SignatureClock { get; set; }

    public string AccountId { get; set; } = DsqlLocalDefaults.AccountId;

    /// <summary>How long CREATING lasts (before <see cref="TimeScale"/> is applied).</summary>
    public TimeSpan ProvisioningTime { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long DELETING lasts before the cluster is gone (before <see cref="TimeScale"/> is applied).</summary>
    public TimeSpan DeletionTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a cluster is UPDATING after an UpdateCluster (and a KMS key change is UPDATING in the encryption
    /// details). Inferred: the sources give no figure; 0 makes the update take effect at once (UpdateCluster
    /// still answers UPDATING, as the documented sample does).
    /// </summary>
    public TimeSpan UpdatingTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Time without activity after which an ACTIVE cluster is IDLE; null (the default) never. Activity is the end
    /// of provisioning, of an update or of a reactivation, or a simulated connection (POST
    /// /_dsql-local/clusters/{id}/connect). Inferred: AWS does not publish the figure.
    /// </summary>
    public TimeSpan? IdleAfter { get; set; }

    /// <summary>Time without activity after which a cluster is INACTIVE (scaled to zero); null (the default) never.</summary>
    public TimeSpan? InactiveAfter { get; set; }

    /// <summary>How long an INACTIVE cluster takes to come back after a connection (it stays INACTIVE meanwhile; Inferred).</summary>
    public TimeSpan ReactivationTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Regions where the emulated service runs (default: <see cref="Model.RegionCatalog.DefaultRegions"/>, Inferred).</summary>
    public IList<string> Regions { get; set; } = [.. Model.RegionCatalog.DefaultRegions];

    /// <summary>The Regions that may serve as a witness; null means every Region of <see cref="Regions"/>.</summary>
    public IList<string>? WitnessRegions { get; set; }

    /// <summary>What a request signed for a Region outside <see cref="Regions"/> gets.</summary>
    public UnknownRegionBehavior UnknownRegion { get; set; } = UnknownRegionBehavior.Unreachable;

    /// <summary>Per status, the operations refused with 409 ConflictException (see <see cref="Model.StatusRules"/>).</summary>
    public IDictionary<string, IReadOnlyList<string>> RefusedOperations { get; set; } = Model.StatusRules.Defaults();

    /// <summary>
    /// A request body that has not arrived completely this long after the request started is answered 408
    /// RequestTimeoutException (measured on the TimeProvider). Null (the default) means 20 s on Kestrel (an
    /// Inferred figure) and no limit in-process, where bodies come from the caller's memory and a timer on a
    /// test's fake clock would only get in the way of tests that step from timer to timer.
    /// </summary>
    public TimeSpan? BodyReadTimeout { get; set; }

    /// <summary>
    /// Divides the lifecycle durations (provisioning, deletion, updating, idle, inactive, reactivation) only: 60 turns 120 s into 2 s. Outage windows, injected
    /// latency and Retry-After are not scaled.
    /// </summary>
    public double TimeScale { get; set; } = 1;

    /// <summary>When set, state is loaded from and saved atomically to this file.</summary>
    public string? DataFile { get; set; }

    /// <summary>Seeds the identifier and fault RNGs for reproducible runs.</summary>
    public int? Seed { get; set; }

    /// <summary>Accepted signing keys; the documented default pair is included unless removed.</summary>
    public IList<AccessKeyPair> AccessKeys { get; init; } =
        [new AccessKeyPair(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey)];

    /// <summary>Identity-based policies bound to access keys; evaluated only when <see cref="Iam.IamOptions.Enforce"/> is set.</summary>
    public Iam.IamOptions Iam { get; set; } = new();

    public int MultiRegionQuota { get; set; } = 5;

    public int SingleRegionQuota { get; set; } = 20;

    public FaultSettings Faults { get; set; } = FaultSettings.None;

    /// <summary>Also emit ASP.NET Core logs and error details.</summary>
    public bool Verbose { get; set; }

    /// <summary>Where the one-line-per-request log goes; null for none.</summary>
    public TextWriter? RequestLog { get; set; }

    internal TimeSpan ScaledProvisioningTime => ProvisioningTime / TimeScale;

    internal TimeSpan ScaledDeletionTime => DeletionTime / TimeScale;

    internal TimeSpan ScaledUpdatingTime => UpdatingTime / TimeScale;

    internal TimeSpan? ScaledIdleAfter => IdleAfter / TimeScale;

    internal TimeSpan? ScaledInactiveAfter => InactiveAfter / TimeScale;

    internal TimeSpan ScaledReactivationTime => ReactivationTime / TimeScale;

    internal void Validate()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ArgumentException($"Port must be between 0 and 65535, not {Port}.");
        }

        if (TimeScale <= 0 || double.IsNaN(TimeScale) || double.IsInfinity(TimeScale))
        {
            throw new ArgumentException($"TimeScale must be a positive number, not {TimeScale}.");
        }

        if (ProvisioningTime < TimeSpan.Zero || DeletionTime < TimeSpan.Zero || UpdatingTime < TimeSpan.Zero || ReactivationTime < TimeSpan.Zero
            || IdleAfter < TimeSpan.Zero || InactiveAfter < TimeSpan.Zero || BodyReadTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("ProvisioningTime, DeletionTime, UpdatingTime, ReactivationTime, IdleAfter and InactiveAfter must not be negative; BodyReadTimeout must be positive.");
        }

        if (IdleAfter is { } idle && InactiveAfter is { } inactive && inactive <= idle)
        {
            throw new ArgumentException($"InactiveAfter ({inactive.TotalSeconds} s) must be longer than IdleAfter ({idle.TotalSeconds} s): a cluster is IDLE before it is INACTIVE.");
        }

        if (Regions is null || Regions.Count == 0 || Regions.Any(r => !Model.RegionCatalog.IsRegionName(r)))
        {
            throw new ArgumentException($"Regions must be a non-empty list of Region names such as us-east-1, not [{string.Join(", ", Regions ?? [])}].");
        }

        if (WitnessRegions is not null && WitnessRegions.Any(r => !Model.RegionCatalog.IsRegionName(r)))
        {
            throw new ArgumentException($"WitnessRegions must hold Region names such as us-west-2, not [{string.Join(", ", WitnessRegions)}].");
        }

        foreach (var (status, operations) in RefusedOperations ?? throw new ArgumentException("RefusedOperations must not be null."))
        {
            if (!Wire.WireClusterStatus.All.Contains(status, StringComparer.Ordinal))
            {
                throw new ArgumentException($"RefusedOperations: '{status}' is not a cluster status ({string.Join(", ", Wire.WireClusterStatus.All)}).");
            }

            foreach (var operation in operations ?? [])
            {
                if (!Http.Operations.All.Contains(operation, StringComparer.Ordinal) && operation != Model.StatusRules.ProtectionOnly)
                {
                    throw new ArgumentException($"RefusedOperations[{status}]: '{operation}' is not an operation of the DSQL API ({string.Join(", ", Http.Operations.All)}).");
                }
            }
        }

        if (AccountId.Length != 12 || !AccountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"AccountId must be 12 digits, not '{AccountId}'.");
        }

        if (MultiRegionQuota < 0 || SingleRegionQuota < 0)
        {
            throw new ArgumentException("Quotas must not be negative.");
        }

        global::DsqlLocal.Faults.FaultInjector.Checked(Faults);

        if (AccessKeys.Count == 0)
        {
            throw new ArgumentException("At least one access key is required.");
        }

        if (Iam is null)
        {
            throw new ArgumentException("Iam must not be null.");
        }

        _ = Iam.Checked();
        if (Iam.Enforce && Iam.Principals.Count == 0)
        {
            throw new ArgumentException("IAM enforcement is on but no principal is bound to an access key: every request would be refused.");
        }
    }
}

/// <summary>How a request signed for a Region outside the catalog is answered.</summary>
public enum UnknownRegionBehavior
{
    /// <summary>
    /// The connection is dropped without an answer (in-process: an HttpRequestException), because a Region where
    /// DSQL does not run has no endpoint: a real client fails to resolve dsql.{region}.api.aws.
    /// </summary>
    Unreachable,

    /// <summary>The Region is served like any other (the emulator's behaviour before the catalog existed).</summary>
    Serve,
}
