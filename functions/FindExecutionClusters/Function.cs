using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;

namespace FindExecutionClusters;

/// <summary>Lambda entry point of the FindExecutionClusters step: payload in, <see cref="FindExecutionClustersStep"/>, payload out.</summary>
public sealed class Function
{
    private readonly FindExecutionClustersStep _step;
    private readonly StepHost _host;

    /// <summary>What Lambda calls: services from the validated environment, logs as JSON lines on stdout.</summary>
    public Function()
        : this(FunctionServices.Current)
    {
    }

    public Function(IDsqlClientFactory clients, TimeProvider time, ILogger logger)
        : this(clients, time, logger, StepHost.DefaultBudget)
    {
    }

    /// <param name="budget">How long one invocation may run before it stops with StepTimeoutException.</param>
    public Function(IDsqlClientFactory clients, TimeProvider time, ILogger logger, TimeSpan budget)
    {
        _step = new FindExecutionClustersStep(clients, time, logger);
        _host = new StepHost(FindExecutionClustersStep.Name, logger, time: time, budget: budget);
    }

    private Function(FunctionServices services)
        : this(services.Clients, services.Time, services.Loggers.CreateLogger(FindExecutionClustersStep.Name), services.StepBudget)
    {
    }

    public async Task<Stream> FunctionHandler(Stream input) =>
        await _host.InvokeAsync(input, StepJsonContext.Default.FindExecutionClustersInput, StepJsonContext.Default.FindExecutionClustersOutput, _step.RunAsync);
}
