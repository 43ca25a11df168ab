using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;

namespace DescribeCluster;

/// <summary>Lambda entry point of the DescribeCluster step: payload in, <see cref="DescribeClusterStep"/>, payload out.</summary>
public sealed class Function
{
    private readonly DescribeClusterStep _step;
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
        _step = new DescribeClusterStep(clients, time, logger);
        _host = new StepHost(DescribeClusterStep.Name, logger, time: time, budget: budget);
    }

    private Function(FunctionServices services)
        : this(services.Clients, services.Time, services.Loggers.CreateLogger(DescribeClusterStep.Name), services.StepBudget)
    {
    }

    public async Task<Stream> FunctionHandler(Stream input) =>
        await _host.InvokeAsync(input, StepJsonContext.Default.DescribeClusterInput, StepJsonContext.Default.DescribeClusterOutput, _step.RunAsync);
}
