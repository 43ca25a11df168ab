using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;

namespace DeleteCluster;

/// <summary>Lambda entry point of the DeleteCluster step: payload in, <see cref="DeleteClusterStep"/>, payload out.</summary>
public sealed class Function
{
    private readonly DeleteClusterStep _step;
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
        _step = new DeleteClusterStep(clients, time, logger);
        _host = new StepHost(DeleteClusterStep.Name, logger, time: time, budget: budget);
    }

    private Function(FunctionServices services)
        : this(services.Clients, services.Time, services.Loggers.CreateLogger(DeleteClusterStep.Name), services.StepBudget)
    {
    }

    public async Task<Stream> FunctionHandler(Stream input) =>
        await _host.InvokeAsync(input, StepJsonContext.Default.DeleteClusterInput, StepJsonContext.Default.DeleteClusterOutput, _step.RunAsync);
}
