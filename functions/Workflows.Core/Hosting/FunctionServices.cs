using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Logging;

namespace Workflows.Core.Hosting;

/// <summary>
/// What a function's parameterless constructor (the one Lambda calls) runs on: a DSQL client factory, the
/// clock and the JSON-lines logger, built once per process from the validated environment and shared by
/// every function loaded into it (Lambda loads one; a local engine may load all nine).
/// </summary>
public sealed class FunctionServices : IDisposable
{
    private static readonly Lock Gate = new();
    private static FunctionServices? _shared;
    private static FunctionServices? _override;

    private readonly IDisposable? _owned;

    public FunctionServices(IDsqlClientFactory clients, TimeProvider time, ILoggerFactory loggers, IDisposable? owned = null, TimeSpan? stepBudget = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        Clients = clients;
        Time = time;
        Loggers = loggers;
        _owned = owned;
        StepBudget = stepBudget ?? StepHost.DefaultBudget;
    }

    public IDsqlClientFactory Clients { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory Loggers { get; }

    /// <summary>Each invocation's time budget (see <see cref="StepHost"/>).</summary>
    public TimeSpan StepBudget { get; }

    /// <summary>
    /// The services of this process: an override when a host installed one (see <see cref="Use"/>), else built
    /// from the environment on first use. Throws <see cref="FunctionConfigurationException"/> naming a bad variable.
    /// </summary>
    public static FunctionServices Current
    {
        get
        {
            lock (Gate)
            {
                return _override ?? (_shared ??= FromEnvironment(Environment.GetEnvironmentVariable, Console.Out, credentials: null));
            }
        }
    }

    /// <summary>
    /// Makes functions created with their parameterless constructor use <paramref name="services"/> until the
    /// returned handle is disposed: for a local host that runs the handlers on its own clock and emulator.
    /// </summary>
    public static IDisposable Use(FunctionServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        lock (Gate)
        {
            _override = services;
        }

        return new Restore(services);
    }

    /// <summary>Builds the services Lambda runs with: environment checked, logs to <paramref name="output"/>.</summary>
    public static FunctionServices FromEnvironment(Func<string, string?> environment, TextWriter output, AWSCredentials? credentials)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(output);
        var settings = FunctionEnvironment.Load(environment);
        var time = TimeProvider.System;
        var loggers = new JsonLinesLoggerFactory(new JsonLinesLoggerProvider(output, settings.LoggerOptions(), time));
        var clients = new DsqlClientFactory(
            new DsqlClientOptions { UseFips = settings.UseFips, Credentials = credentials },
            timeProvider: time,
            loggerFactory: loggers,
            environment: environment);
        return new FunctionServices(clients, time, loggers, new Disposables(clients, loggers), settings.StepBudget);
    }

    public void Dispose() => _owned?.Dispose();

    private sealed class Restore(FunctionServices services) : IDisposable
    {
        public void Dispose()
        {
            lock (Gate)
            {
                if (ReferenceEquals(_override, services))
                {
                    _override = null;
                }
            }
        }
    }

    private sealed class Disposables(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }
}
