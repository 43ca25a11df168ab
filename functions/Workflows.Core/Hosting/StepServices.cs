using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Logging;

namespace Workflows.Core.Hosting;

/// <summary>
/// Everything a step is built from: the DSQL clients, the clock, the loggers and the invocation budget. The one
/// construction path for every host: <see cref="FromEnvironment"/> on Lambda (the validated environment, JSON
/// lines on stdout), or the constructor for a local host (clients bound to DSQL Local, the engine's clock).
/// </summary>
public sealed class StepServices : IDisposable
{
    private readonly IDisposable? _owned;

    /// <param name="owned">Disposed with the services (what <see cref="FromEnvironment"/> created for them).</param>
    public StepServices(IDsqlClientFactory clients, TimeProvider time, ILoggerFactory loggers, TimeSpan? budget = null, IDisposable? owned = null)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(loggers);
        if (budget is { } b && b <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), b, "The step budget must be positive.");
        }

        Clients = clients;
        Time = time;
        Loggers = loggers;
        Budget = budget ?? StepHost.DefaultBudget;
        _owned = owned;
    }

    public IDsqlClientFactory Clients { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory Loggers { get; }

    /// <summary>How long one invocation may run before it stops with StepTimeoutException (see <see cref="StepHost"/>).</summary>
    public TimeSpan Budget { get; }

    /// <summary>
    /// The services a Lambda execution environment runs with: the environment checked (a bad variable throws
    /// <see cref="FunctionConfigurationException"/> naming it), logs as JSON lines to <paramref name="output"/>.
    /// </summary>
    public static StepServices FromEnvironment(Func<string, string?> environment, TextWriter output, TimeProvider? time = null, AWSCredentials? credentials = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(output);
        var settings = FunctionEnvironment.Load(environment);
        var clock = time ?? TimeProvider.System;
        var loggers = new JsonLinesLoggerFactory(new JsonLinesLoggerProvider(output, settings.LoggerOptions(), clock));
        var clients = new DsqlClientFactory(
            new DsqlClientOptions { UseFips = settings.UseFips, Credentials = credentials },
            timeProvider: clock,
            loggerFactory: loggers,
            environment: environment);
        return new StepServices(clients, clock, loggers, settings.StepBudget, new Owned(clients, loggers));
    }

    public void Dispose() => _owned?.Dispose();

    private sealed class Owned(params IDisposable[] items) : IDisposable
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
