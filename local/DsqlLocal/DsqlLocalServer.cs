using System.Net;
using System.Net.Sockets;
using DsqlLocal.Auth;
using DsqlLocal.Faults;
using DsqlLocal.Http;
using DsqlLocal.Iam;
using DsqlLocal.Model;
using DsqlLocal.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DsqlLocal;

/// <summary>
/// A running emulator: either on Kestrel (a real port, for SDKs and the CLI) or in-process on a TestServer
/// (for tests that want no sockets). Dispose to stop it.
/// </summary>
public sealed class DsqlLocalServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ClusterStore _store;
    private readonly FaultInjector _faults;
    private readonly DsqlRequestHandler _pipeline;
    private readonly bool _inProcess;

    private DsqlLocalServer(WebApplication app, ClusterStore store, FaultInjector faults, DsqlRequestHandler pipeline, bool inProcess, Uri baseAddress, DsqlLocalOptions options)
    {
        _app = app;
        _pipeline = pipeline;
        _store = store;
        _faults = faults;
        _inProcess = inProcess;
        BaseAddress = baseAddress;
        Options = options;
    }

    /// <summary>Where the API answers, e.g. http://127.0.0.1:8787/ (the actual port when 0 was asked for).</summary>
    public Uri BaseAddress { get; }

    public DsqlLocalOptions Options { get; }

    /// <summary>The fault settings in force; assigning replaces them for every later request.</summary>
    public FaultSettings Faults
    {
        get => _faults.Settings;
        set => _faults.Settings = value;
    }

    public static async Task<DsqlLocalServer> StartAsync(
        DsqlLocalOptions options,
        TimeProvider? timeProvider = null,
        bool inProcess = false,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var listenAddress = inProcess ? null : ResolveHost(options.Host);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(DsqlLocalServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        if (options.Verbose)
        {
            // Framework logs go to stderr so stdout keeps its contract: the listening line, then request lines.
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        if (inProcess)
        {
            builder.WebHost.UseTestServer();
        }
        else
        {
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Limits.MaxRequestBodySize = null;
                kestrel.Listen(listenAddress!, options.Port);
            });
        }

        // The emulator owns Ctrl+C handling in the CLI; the host must not also print or react to it.
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();

        var stateFile = options.DataFile is null ? null : new StateFile(options.DataFile);
        var lifecycle = new Lifecycle(new LifecycleTimes(
            options.ScaledProvisioningTime,
            options.ScaledDeletionTime,
            options.ScaledUpdatingTime,
            options.ScaledIdleAfter,
            options.ScaledInactiveAfter,
            options.ScaledReactivationTime));
        var store = new ClusterStore(options, lifecycle, time, stateFile);
        var faults = new FaultInjector(options.Faults, options.Seed, time);
        // With IAM enforced only the principals' keys exist, as IAM knows only the keys it issued; otherwise they
        // are accepted beside the plain access keys.
        var principalKeys = options.Iam.Principals.Select(p => new AccessKeyPair(p.AccessKeyId, p.SecretAccessKey));
        var verifier = new SigV4Verifier(options.Iam.Enforce ? principalKeys : [.. options.AccessKeys, .. principalKeys], options.SignatureClock ?? time);
        var iam = new IamAuthorizer(options.Iam, new RequiredActions(options.AccountId, store.FactsOf));
        var handler = new DsqlRequestHandler(store, verifier, faults, new AdminEndpoints(store, faults, iam, options), options.RequestLog, options.Verbose, inProcess, time, options.BodyReadTimeout ?? (inProcess ? null : TimeSpan.FromSeconds(20)), options.UnknownRegion, iam);

        var app = builder.Build();
        app.Run(handler.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (!inProcess && ex is IOException or SocketException)
        {
            await app.DisposeAsync();
            throw BindFailure(options, ex);
        }

        Uri baseAddress;
        if (inProcess)
        {
            baseAddress = app.GetTestServer().BaseAddress;
        }
        else
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        }

        return new DsqlLocalServer(app, store, faults, handler, inProcess, baseAddress, options);
    }

    /// <summary>The request pipeline itself, for tests that drive one request with a hand-made HttpContext.</summary>
    internal DsqlRequestHandler Pipeline => _pipeline;

    /// <summary>A handler that reaches this server: the TestServer's in-process handler, or a plain socket handler.</summary>
    public HttpMessageHandler CreateHandler() =>
        _inProcess ? new RawTargetForwarder(_app.GetTestServer().CreateHandler()) : new SocketsHttpHandler();

    /// <summary>
    /// A handler that runs each request through the emulator on the caller's thread, with no server or thread hop
    /// (the in-process TestServer hands requests to the thread pool). The emulator's only waits (injected latency)
    /// are timers on its TimeProvider, so a caller that runs on one thread under a virtual clock shared with the
    /// emulator (the workflows engine's inline Lambda handlers) sees them as timers on that clock. Works whether or
    /// not the server was started in-process.
    /// </summary>
    public HttpMessageHandler CreateInlineHandler() => new InlineHandler(_pipeline);

    /// <summary>Every existing cluster with its status derived at the server's current time.</summary>
    /// <exception cref="IOException">The data file could not be written (the state is unchanged).</exception>
    public IReadOnlyList<ClusterSnapshot> GetClusters() => StateFileWrite(_store.Snapshot);

    /// <summary>
    /// Puts a cluster into any status, as PUT /_dsql-local/clusters/{identifier}/status does (for tests and for
    /// rehearsing incidents): DELETING/PENDING_DELETE start the deletion, DELETED removes the cluster, any other
    /// status holds for <paramref name="duration"/> (null: until an update, a delete or a connection moves it on).
    /// </summary>
    /// <returns>The cluster afterwards, or null when no cluster has the identifier.</returns>
    /// <exception cref="ArgumentException">Not a ClusterStatus value of the model.</exception>
    public ClusterSnapshot? SetClusterStatus(string identifier, string status, TimeSpan? duration = null)
    {
        if (!Wire.WireClusterStatus.All.Contains(status, StringComparer.Ordinal))
        {
            throw new ArgumentException($"'{status}' is not a cluster status ({string.Join(", ", Wire.WireClusterStatus.All)}).", nameof(status));
        }

        return StateFileWrite(() => _store.SetStatus(identifier, status, duration));
    }

    /// <summary>Simulates a connection to the cluster (POST /_dsql-local/clusters/{identifier}/connect): IDLE and INACTIVE clusters come back.</summary>
    public ClusterSnapshot? ConnectCluster(string identifier) => StateFileWrite(() => _store.Connect(identifier));

    /// <summary>Forgets all clusters and client tokens (the data file is rewritten empty).</summary>
    /// <exception cref="IOException">The data file could not be written (the state is unchanged).</exception>
    public void Reset() => StateFileWrite(() =>
    {
        _store.Reset();
        return 0;
    });

    private static T StateFileWrite<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (DsqlApiException ex)
        {
            throw new IOException(ex.Message, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static IPAddress ResolveHost(string host)
    {
        switch (host)
        {
            case "localhost":
                return IPAddress.Loopback;
            case "*" or "+":
                return IPAddress.Any;
            case var _ when IPAddress.TryParse(host, out var ip):
                return ip;
        }

        try
        {
            return Dns.GetHostAddresses(host).FirstOrDefault()
                ?? throw new DsqlLocalStartupException("--host", $"--host: '{host}' resolves to no address.", isUsageError: true, null);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            throw new DsqlLocalStartupException("--host", $"--host: cannot resolve '{host}': {ex.Message}", isUsageError: true, ex);
        }
    }

    private static DsqlLocalStartupException BindFailure(DsqlLocalOptions options, Exception ex)
    {
        var endpoint = $"{options.Host}:{options.Port}";
        return ex is AddressInUseException || ex.InnerException is AddressInUseException
            ? new DsqlLocalStartupException("--port", $"--port: {endpoint} is already in use; choose another port (or --port 0 for any free one).", isUsageError: false, ex)
            : new DsqlLocalStartupException("--host", $"--host: cannot listen on {endpoint}: {(ex.InnerException ?? ex).Message}", isUsageError: false, ex);
    }

    /// <summary>Carries the request target as the client wrote it across TestServer, which would decode it.</summary>
    private sealed class RawTargetForwarder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { IsAbsoluteUri: true } uri)
            {
                request.Headers.Remove(DsqlRequestHandler.InProcessRawTargetHeader);
                request.Headers.TryAddWithoutValidation(DsqlRequestHandler.InProcessRawTargetHeader, RawPathAndQuery(uri));
            }

            return base.SendAsync(request, cancellationToken);
        }

        private static string RawPathAndQuery(Uri uri)
        {
            // OriginalString keeps percent-encoding exactly as the caller wrote it.
            var text = uri.OriginalString;
            var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
            var pathStart = schemeEnd < 0 ? -1 : text.IndexOf('/', schemeEnd + 3);
            var target = pathStart < 0 ? "/" : text[pathStart..];
            var fragment = target.IndexOf('#', StringComparison.Ordinal);
            return fragment < 0 ? target : target[..fragment];
        }
    }

    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
