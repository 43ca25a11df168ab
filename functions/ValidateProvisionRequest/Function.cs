using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;

namespace ValidateProvisionRequest;

/// <summary>Lambda entry point of the ValidateProvisionRequest step: payload in, <see cref="ValidateProvisionRequestStep"/>, payload out.</summary>
public sealed class Function
{
    private readonly ValidateProvisionRequestStep _step;
    private readonly StepHost _host;

    /// <summary>What Lambda calls: services from the validated environment, logs as JSON lines on stdout.</summary>
    public Function()
        : this(FunctionServices.Current)
    {
    }

    public Function(TimeProvider time, ILogger logger)
        : this(time, logger, StepHost.DefaultBudget)
    {
    }

    /// <param name="budget">How long one invocation may run before it stops with StepTimeoutException.</param>
    public Function(TimeProvider time, ILogger logger, TimeSpan budget)
    {
        _step = new ValidateProvisionRequestStep(time, logger);
        _host = new StepHost(ValidateProvisionRequestStep.Name, logger, time: time, budget: budget);
    }

    private Function(FunctionServices services)
        : this(services.Time, services.Loggers.CreateLogger(ValidateProvisionRequestStep.Name), services.StepBudget)
    {
    }

    public async Task<Stream> FunctionHandler(Stream input) =>
        await _host.InvokeAsync(input, StepJsonContext.Default.ValidateProvisionRequestInput, StepJsonContext.Default.ValidateProvisionRequestOutput, _step.RunAsync);
}
