using Workflows.Core.Steps;
using Amazon.Runtime;
using DsqlLocal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Workflows.Core.Dsql;
using Workflows.Core.Logging;

namespace Workflows.Functions.Tests.Support;

/// <summary>
/// DSQL Local in-process on a fake clock shared with the client and the functions, a client factory pointed
/// at it (one attempt per call, so injected throttles surface at once and nothing waits on a timer), and a
/// JSON-lines logger writing into <see cref="LogOutput"/>.
/// </summary>
public abstract class DsqlLocalTestBase : IAsyncLifetime, IDisposable
{
    public const string Execution = "provision-2026-11-26-0001";
    public const string StateMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:provision";
    public const string Primary = "us-east-1";
    public const string Peer = "us-east-2";
    public const string Witness = "us-west-2";

    protected static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan ProvisioningTime = TimeSpan.FromMinutes(10);
    protected static readonly TimeSpan DeletionTime = TimeSpan.FromMinutes(1);

    private JsonLinesLoggerProvider? _logs;

    protected FakeTimeProvider Time { get; } = new(Start);

    protected DsqlLocalServer Server { get; private set; } = null!;

    protected DsqlClientFactory Clients { get; private set; } = null!;

    protected StringWriter LogOutput { get; } = new();

    protected ILogger Logger { get; private set; } = null!;

    protected virtual void Configure(DsqlLocalOptions options)
    {
    }

    public async Task InitializeAsync()
    {
        var options = new DsqlLocalOptions { ProvisioningTime = ProvisioningTime, DeletionTime = DeletionTime, Seed = 1 };
        Configure(options);
        Server = await DsqlLocalServer.StartAsync(options, Time, inProcess: true);
        _logs = new JsonLinesLoggerProvider(LogOutput, new JsonLinesLoggerOptions { Service = "workflows-tests", FunctionName = "tests" }, Time);
        Logger = _logs.CreateLogger("tests");
        Clients = new DsqlClientFactory(
            new DsqlClientOptions
            {
                ServiceUrl = Server.BaseAddress,
                Credentials = new BasicAWSCredentials(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey),
                MaxAttempts = 1,
                RandomSeed = 1,
            },
            Server.CreateHandler(),
            Time,
            new JsonLinesLoggerFactory(_logs),
            environment: _ => null);
    }

    public async Task DisposeAsync()
    {
        Clients.Dispose();
        await Server.DisposeAsync();
    }

    public void Dispose()
    {
        _logs?.Dispose();
        LogOutput.Dispose();
        GC.SuppressFinalize(this);
    }

    protected IReadOnlyList<ClusterSnapshot> Clusters => Server.GetClusters();

    protected ClusterSnapshot Cluster(string identifier) => Server.GetClusters().Single(c => c.Identifier == identifier);

    protected StepUnderTest PrimaryFunction() => StepUnderTest.Of(StepCatalog.CreatePrimaryCluster, Clients, Time, Logger);

    protected StepUnderTest PeerFunction() => StepUnderTest.Of(StepCatalog.CreatePeerCluster, Clients, Time, Logger);

    protected StepUnderTest LinkFunction() => StepUnderTest.Of(StepCatalog.LinkClusters, Clients, Time, Logger);

    protected StepUnderTest DescribeFunction() => StepUnderTest.Of(StepCatalog.DescribeCluster, Clients, Time, Logger);

    protected StepUnderTest ProtectionFunction() => StepUnderTest.Of(StepCatalog.SetDeletionProtection, Clients, Time, Logger);

    protected StepUnderTest DeleteFunction() => StepUnderTest.Of(StepCatalog.DeleteCluster, Clients, Time, Logger);

    protected StepUnderTest ConfirmGoneFunction() => StepUnderTest.Of(StepCatalog.ConfirmClusterGone, Clients, Time, Logger);

    protected StepUnderTest FindFunction() => StepUnderTest.Of(StepCatalog.FindExecutionClusters, Clients, Time, Logger);

    protected Task<System.Text.Json.JsonElement> CreatePrimaryAsync(
        string execution = Execution, bool deletionProtection = true, string? idempotencyKey = null, string stateMachine = StateMachine) =>
        Lambda.InvokeAsync(
            PrimaryFunction().FunctionHandler,
            new { executionName = execution, stateMachineArn = stateMachine, idempotencyKey, region = Primary, witnessRegion = Witness, deletionProtection, tags = new Dictionary<string, string> { ["team"] = "data" } });

    protected Task<System.Text.Json.JsonElement> CreatePeerAsync(string primaryArn, string execution = Execution, bool deletionProtection = true, string? idempotencyKey = null) =>
        Lambda.InvokeAsync(
            PeerFunction().FunctionHandler,
            new { executionName = execution, stateMachineArn = StateMachine, idempotencyKey, region = Peer, witnessRegion = Witness, primaryArn, deletionProtection, tags = new Dictionary<string, string>() });

    protected Task<System.Text.Json.JsonElement> LinkAsync(string primaryIdentifier, string peerArn, string execution = Execution) =>
        Lambda.InvokeAsync(
            LinkFunction().FunctionHandler,
            new { executionName = execution, stateMachineArn = StateMachine, region = Primary, identifier = primaryIdentifier, witnessRegion = Witness, peerArn });

    /// <summary>Primary, peer and link through the functions; returns (primary, peer) outputs.</summary>
    protected async Task<(System.Text.Json.JsonElement Primary, System.Text.Json.JsonElement Peer)> ProvisionPairAsync(bool deletionProtection = true)
    {
        var primary = await CreatePrimaryAsync(deletionProtection: deletionProtection);
        var peer = await CreatePeerAsync(primary.Str("arn")!, deletionProtection: deletionProtection);
        await LinkAsync(primary.Str("identifier")!, peer.Str("arn")!);
        return (primary, peer);
    }
}
