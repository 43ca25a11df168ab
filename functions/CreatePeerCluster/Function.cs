using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;

namespace CreatePeerCluster;

/// <summary>Lambda entry point of the CreatePeerCluster step: payload in, <see cref="CreatePeerClusterStep"/>, payload out.</summary>
public sealed class Function
{
    private readonly CreatePeerClusterStep _step;
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
        _step = new CreatePeerClusterStep(clients, time, logger);
        _host = new StepHost(CreatePeerClusterStep.Name, logger, time: time, budget: budget);
    }

    private Function(FunctionServices services)
        : this(services.Clients, services.Time, services.Loggers.CreateLogger(CreatePeerClusterStep.Name), services.StepBudget)
    {
    }

    public async Task<Stream> FunctionHandler(Stream input) =>
        await _host.InvokeAsync(input, StepJsonContext.Default.CreatePeerClusterInput, StepJsonContext.Default.CreatePeerClusterOutput, _step.RunAsync);
}
