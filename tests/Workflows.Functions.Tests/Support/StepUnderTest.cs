using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Hosting;

namespace Workflows.Functions.Tests.Support;

/// <summary>
/// A step on the generic host, called as its bootstrap calls it (<see cref="IStepFunction.InvokeAsync"/>), built on
/// the test's clients, clock and logger through the one construction path, <see cref="StepServices"/>.
/// </summary>
public sealed class StepUnderTest(IStepFunction function)
{
    public Task<Stream> FunctionHandler(Stream input) => function.InvokeAsync(input, InvocationContext.None);

    internal static StepUnderTest Of(StepDefinition step, IDsqlClientFactory clients, TimeProvider time, ILogger logger, TimeSpan? budget = null) =>
        new(step.Create(new StepServices(clients, time, new OneLoggerFactory(logger), budget)));

    /// <summary>For the validation steps, which make no DSQL calls: a factory that refuses every Region.</summary>
    internal static StepUnderTest Of(StepDefinition step, TimeProvider time, ILogger logger) =>
        Of(step, NoClients.Instance, time, logger);

    private sealed class OneLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }
    }

    private sealed class NoClients : IDsqlClientFactory
    {
        public static NoClients Instance { get; } = new();

        public IDsqlClient ForRegion(string region) => throw new InvalidOperationException($"a validation step asked for a DSQL client in {region}");
    }
}
