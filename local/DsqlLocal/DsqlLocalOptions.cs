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
    /// Divides the provisioning and deletion times only: 60 turns 120 s into 2 s. Outage windows, injected
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

    public int MultiRegionQuota { get; set; } = 5;

    public int SingleRegionQuota { get; set; } = 20;

    public FaultSettings Faults { get; set; } = FaultSettings.None;

    /// <summary>Also emit ASP.NET Core logs and error details.</summary>
    public bool Verbose { get; set; }

    /// <summary>Where the one-line-per-request log goes; null for none.</summary>
    public TextWriter? RequestLog { get; set; }

    internal TimeSpan ScaledProvisioningTime => ProvisioningTime / TimeScale;

    internal TimeSpan ScaledDeletionTime => DeletionTime / TimeScale;

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

        if (ProvisioningTime < TimeSpan.Zero || DeletionTime < TimeSpan.Zero)
        {
            throw new ArgumentException("ProvisioningTime and DeletionTime must not be negative.");
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
    }
}
