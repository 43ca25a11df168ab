using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;

namespace ConfirmClusterGone;

/// <summary>Lambda entry point of the ConfirmClusterGone step: payload in, <see cref="ConfirmClusterGoneStep"/>, payload out.</summary>
public sealed class Function
{
    private readonly ConfirmClusterGoneStep _step;
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
        _step = new ConfirmClusterGoneStep(clients, time, logger);
        _host = new StepHost(ConfirmClusterGoneStep.Name, logger, time: time, budget: budget);
    }

    private Function(FunctionServices services)
        : this(services.Clients, services.Time, services.Loggers.CreateLogger(ConfirmClusterGoneStep.Name), services.StepBudget)
    {
    }

    public async Task<Stream> FunctionHandler(Stream input) =>
        await _host.InvokeAsync(input, StepJsonContext.Default.ConfirmClusterGoneInput, StepJsonContext.Default.ConfirmClusterGoneOutput, _step.RunAsync);
}
