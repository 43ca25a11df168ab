using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;

namespace SetDeletionProtection;

/// <summary>Lambda entry point of the SetDeletionProtection step: payload in, <see cref="SetDeletionProtectionStep"/>, payload out.</summary>
public sealed class Function
{
    private readonly SetDeletionProtectionStep _step;
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
        _step = new SetDeletionProtectionStep(clients, time, logger);
        _host = new StepHost(SetDeletionProtectionStep.Name, logger, time: time, budget: budget);
    }

    private Function(FunctionServices services)
        : this(services.Clients, services.Time, services.Loggers.CreateLogger(SetDeletionProtectionStep.Name), services.StepBudget)
    {
    }

    public async Task<Stream> FunctionHandler(Stream input) =>
        await _host.InvokeAsync(input, StepJsonContext.Default.SetDeletionProtectionInput, StepJsonContext.Default.SetDeletionProtectionOutput, _step.RunAsync);
}
