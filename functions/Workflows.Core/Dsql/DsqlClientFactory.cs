using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Workflows.Core.Dsql;

/// <summary>
/// One <see cref="DsqlClient"/> per Region, all sharing one HttpClient (its connection pool outlives a Lambda
/// invocation when the factory is held in a static or a field of the function).
/// </summary>
public sealed class DsqlClientFactory : IDsqlClientFactory, IDisposable
{
    private readonly DsqlClientOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly Func<string, string?> _environment;
    private readonly ConcurrentDictionary<string, DsqlClient> _clients = new(StringComparer.Ordinal);

    public DsqlClientFactory(
        DsqlClientOptions options,
        HttpMessageHandler? handler = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = Timeout.InfiniteTimeSpan }
            : new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        _time = timeProvider ?? TimeProvider.System;
        _loggers = loggerFactory ?? NullLoggerFactory.Instance;
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    public IDsqlClient ForRegion(string region) =>
        _clients.GetOrAdd(region, r => new DsqlClient(r, _options, _http, _time, _loggers.CreateLogger<DsqlClient>(), _environment));

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }

        _http.Dispose();
    }
}
