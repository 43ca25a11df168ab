using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using DsqlLocal;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Hosting;
using Workflows.Engine.Time;

namespace Workflows.Cli.Pairs;

/// <summary>
/// The DSQL side of a run and the clock everything shares: the functions' clients, the time they and the engine
/// read, and (embedded) the emulator itself. Dispose when the run is over.
/// </summary>
internal sealed class Backend : IAsyncDisposable
{
    private readonly DsqlClientFactory _factory;
    private readonly FunctionLog _log;
    private readonly DsqlLocalServer? _server;
    private readonly HttpMessageHandler? _handler;
    private readonly EmbeddedState? _state;
    private bool _ownsState = true;
    private readonly Dictionary<string, (DsqlClientFactory Factory, DsqlLocal.Iam.IamPrincipal Principal)> _roles = new(StringComparer.Ordinal);

    private Backend(BackendSettings settings, DsqlClientFactory factory, FunctionLog log, TimeProvider time, VirtualClock? clock, DsqlLocalServer? server, HttpMessageHandler? handler, EmbeddedState? state)
    {
        Settings = settings;
        _factory = factory;
        _log = log;
        Time = time;
        VirtualClock = clock;
        _server = server;
        _handler = handler;
        _state = state;
    }

    public BackendSettings Settings { get; }

    /// <summary>How long the reachability check waits for an answer (one attempt, no retries).</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    // What the reachability check builds its one-shot client from (remote modes only).
    private DsqlClientOptions? ProbeOptions { get; init; }

    private HttpMessageHandler? ProbeHandler { get; init; }

    private Func<string, string?> ProbeEnvironment { get; init; } = _ => null;

    /// <summary>The wall clock the run is timed with (the host's).</summary>
    public TimeProvider Wall { get; private init; } = TimeProvider.System;

    public IDsqlClientFactory Clients => _factory;

    /// <summary>The time the functions, the emulator and the engine all read.</summary>
    public TimeProvider Time { get; }

    /// <summary>Set when embedded: the engine runs on it, so waits take no wall time.</summary>
    public VirtualClock? VirtualClock { get; }

    /// <summary>Embedded with in-process functions on the virtual clock: they run inline on the engine's thread (no real I/O anywhere).</summary>
    public bool Inline => _server is not null && VirtualClock is not null && Settings.Functions == FunctionsMode.InProcess;

    /// <summary>Embedded: the emulator's data file (for the line serve prints).</summary>
    public string? DataFile => _state?.DataFile;

    /// <summary>
    /// The DSQL endpoint a function process is given (AWS_ENDPOINT_URL_DSQL): the embedded emulator's listening
    /// address, the --dsql-endpoint URL, or null for AWS's own endpoints.
    /// </summary>
    public Uri? FunctionEndpoint => _server?.BaseAddress ?? Settings.Endpoint;

    /// <summary>The credentials a function process is given (Lambda gives each function its role's keys).</summary>
    public Workflows.LambdaLocal.LambdaCredentials? FunctionCredentials { get; private init; }

    public FunctionLog Log => _log;

    /// <summary>What the steps run on in-process: the backend's DSQL clients, its clock and the run's log.</summary>
    public StepServices Services => new(_factory, Time, _log);

    /// <summary>
    /// What one function's step runs on in-process: with IAM enforced, clients that sign with the function's own role
    /// key; otherwise the shared <see cref="Services"/>.
    /// </summary>
    public StepServices ServicesFor(string logicalId) =>
        _roles.TryGetValue(logicalId, out var role) ? new(role.Factory, Time, _log) : Services;

    /// <summary>With IAM enforced, the keys of the function's own role (a function process gets them); else null.</summary>
    public Workflows.LambdaLocal.LambdaCredentials? FunctionCredentialsFor(string logicalId) =>
        _roles.TryGetValue(logicalId, out var role) ? new(role.Principal.AccessKeyId, role.Principal.SecretAccessKey) : null;

    /// <summary>The emulator's clusters as it sees them now (embedded only).</summary>
    public IReadOnlyList<ClusterSnapshot>? EmulatorClusters() => _server?.GetClusters();

    /// <exception cref="UsageException">The state directory is in use or unusable, the data file is not the
    /// emulator's, or (AWS) no credentials can be found.</exception>
    /// <param name="held">
    /// Embedded: the state directory's lock, already taken by the caller (who keeps it and releases it after its last
    /// record is written); null to take it here and release it on dispose.
    /// </param>
    public static async Task<Backend> OpenAsync(BackendSettings settings, CliHost host, CancellationToken cancellationToken, EmbeddedState? held = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Mode == EndpointMode.Embedded
            ? await OpenEmbeddedAsync(settings, host, held, cancellationToken)
            : OpenRemote(settings, host);
    }

    private static async Task<Backend> OpenEmbeddedAsync(BackendSettings settings, CliHost host, EmbeddedState? held, CancellationToken cancellationToken)
    {
        var state = held ?? EmbeddedState.Open(settings.StateDirectory);
        try
        {
            var saved = state.ReadSaved();
            var start = EmbeddedState.StartTime(host.Time.GetUtcNow(), saved.VirtualNow);
            // serve --time-scale: the wall clock sped up, never behind where the state directory's time stopped.
            var virtualClock = settings.TimeScale is null ? new VirtualClock(start) : null;
            var clock = virtualClock is not null ? (TimeProvider)virtualClock : new Workflows.Host.ScaledTimeProvider(host.Time, settings.TimeScale!.Value, start);
            var provisioning = settings.ProvisioningTime ?? TimeSpan.FromSeconds(saved.ProvisioningSeconds ?? BackendSettings.DefaultProvisioningSeconds);
            var deletion = settings.DeletionTime ?? TimeSpan.FromSeconds(saved.DeletionSeconds ?? BackendSettings.DefaultDeletionSeconds);
            var principals = settings.IamEnforce
                ? FunctionRoles.Build(PairRunner.TemplatePath, settings.Region, PairRunner.Account, settings.IamRevocations)
                : new Dictionary<string, DsqlLocal.Iam.IamPrincipal>();
            DsqlLocalServer server;
            try
            {
                // Function processes (and serve's outside clients) reach the emulator over loopback; in-process functions
                // through its inline handler, whose requests are checked against the emulator's own clock.
                var listen = settings.Functions == FunctionsMode.Process || settings.ListenForClients;
                server = await DsqlLocalServer.StartAsync(
                    new DsqlLocalOptions
                    {
                        Host = "127.0.0.1",
                        Port = 0,
                        // Function processes sign with the wall clock; the virtual clock only drives the lifecycle.
                        SignatureClock = listen ? host.Time : null,
                        ProvisioningTime = provisioning,
                        DeletionTime = deletion,
                        DataFile = state.DataFile,
                        Seed = settings.Seed,
                        Faults = new FaultSettings { Rules = [.. settings.Faults] },
                        Iam = new DsqlLocal.Iam.IamOptions { Enforce = settings.IamEnforce, Principals = settings.IamEnforce ? [.. principals.Values, FunctionRoles.Operator(PairRunner.Account)] : [], Audit = settings.IamAudit },
                    },
                    clock,
                    inProcess: !listen,
                    cancellationToken);
            }
            catch (DsqlLocalStartupException e)
            {
                throw new UsageException($"the embedded DSQL Local cannot start: {e.Message}", e);
            }
            catch (InvalidDataException e)
            {
                throw new UsageException(EmbeddedState.CorruptDataFile(state.DataFile, e), e);
            }

            var handler = server.CreateInlineHandler();
            var log = new FunctionLog(settings.StateDirectory, clock);
            var factory = new DsqlClientFactory(
                new DsqlClientOptions
                {
                    ServiceUrl = server.BaseAddress,
                    Credentials = new BasicAWSCredentials(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey),
                    RandomSeed = settings.Seed,
                },
                handler,
                clock,
                log,
                environment: _ => null);
            var backend = new Backend(settings, factory, log, clock, virtualClock, server, handler, state)
            {
                _ownsState = held is null,
                Wall = host.Time,
                FunctionCredentials = new(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey),
            };
            foreach (var (id, principal) in principals)
            {
                backend._roles[id] = (
                    new DsqlClientFactory(
                        new DsqlClientOptions
                        {
                            ServiceUrl = server.BaseAddress,
                            Credentials = new BasicAWSCredentials(principal.AccessKeyId, principal.SecretAccessKey),
                            RandomSeed = settings.Seed,
                        },
                        handler,
                        clock,
                        log,
                        environment: _ => null),
                    principal);
            }

            return backend;
        }
        catch
        {
            if (held is null)
            {
                state.Dispose();
            }

            throw;
        }
    }

    private static Backend OpenRemote(BackendSettings settings, CliHost host)
    {
        var credentials = settings.LocalCredentials
            ? new BasicAWSCredentials(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey)
            : DefaultCredentials(settings);
        var log = new FunctionLog(settings.StateDirectory, TimeProvider.System);
        var factory = new DsqlClientFactory(
            new DsqlClientOptions { ServiceUrl = settings.Endpoint, Credentials = credentials, RandomSeed = settings.Seed },
            host.DsqlHandler,
            TimeProvider.System,
            log,
            host.Environment);
        return new Backend(settings, factory, log, TimeProvider.System, null, null, null, null)
        {
            Wall = host.Time,
            ProbeOptions = new DsqlClientOptions { ServiceUrl = settings.Endpoint, Credentials = credentials, MaxAttempts = 1, RequestTimeout = ProbeTimeout },
            ProbeHandler = host.DsqlHandler,
            ProbeEnvironment = host.Environment,
            FunctionCredentials = settings.Functions == FunctionsMode.Process ? KeysOf(credentials) : null,
        };
    }

    /// <summary>
    /// Before a run against an endpoint or AWS: one read-only call (ListClusters, one result) in the Region, with one
    /// attempt and a short timeout, so an endpoint that is down or a credential it refuses is reported in seconds,
    /// with the URL and the socket's own words, instead of the run's retries spending minutes on it. Embedded: nothing.
    /// </summary>
    /// <exception cref="EndpointUnusableException">No answer, or the credentials were refused; nothing was started.</exception>
    public async Task CheckReachableAsync(string region, CancellationToken cancellationToken)
    {
        if (ProbeOptions is null)
        {
            return;
        }

        using var probe = new DsqlClientFactory(ProbeOptions, ProbeHandler, TimeProvider.System, null, ProbeEnvironment);
        try
        {
            await probe.ForRegion(region).ListClustersAsync(new ListClustersRequest { MaxResults = 1 }, cancellationToken);
        }
        catch (DsqlTransportException e)
        {
            // The client's message names the URL and the socket's own words ("Connection refused (127.0.0.1:1)").
            throw new EndpointUnusableException($"cannot reach DSQL ({Settings.Describe()}): {e.Message}; nothing was started", e);
        }
        catch (DsqlServiceException e) when (CredentialRefusal(e.ErrorCode))
        {
            throw new EndpointUnusableException($"DSQL in {region} refused the credentials ({e.ErrorCode}: {e.Message}); nothing was started", e);
        }
        catch (DsqlServiceException)
        {
            // It answered: AccessDenied for dsql:ListClusters (a role without it may still run the workflow), a
            // throttle or a 5xx. The run's own calls and their retries deal with those.
        }
    }

    private static bool CredentialRefusal(string code) => code is "UnrecognizedClientException" or "InvalidSignatureException"
        or "SignatureDoesNotMatch" or "IncompleteSignature" or "InvalidClientTokenId" or "ExpiredTokenException" or "MissingAuthenticationToken";

    private static Workflows.LambdaLocal.LambdaCredentials KeysOf(AWSCredentials credentials)
    {
        var keys = credentials.GetCredentials();
        return new(keys.AccessKey, keys.SecretKey, string.IsNullOrEmpty(keys.Token) ? null : keys.Token);
    }

    // Resolved before anything starts, so a machine with no credentials hears it in one line and nothing is created.
    private static AWSCredentials DefaultCredentials(BackendSettings settings)
    {
        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        }
        catch (AmazonClientException e)
        {
            var flag = settings.Mode == EndpointMode.Aws ? "--aws" : "--dsql-endpoint (or add --local-credentials for DSQL Local's key pair)";
            throw new UsageException($"{flag} needs AWS credentials and the default chain found none: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_state is not null)
        {
            _state.Save(Time.GetUtcNow(), _server!.Options.ProvisioningTime, _server.Options.DeletionTime);
        }

        _factory.Dispose();
        foreach (var (factory, _) in _roles.Values)
        {
            factory.Dispose();
        }

        _handler?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _log.Dispose();
        if (_ownsState)
        {
            _state?.Dispose();
        }
    }
}
