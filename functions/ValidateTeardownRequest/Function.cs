using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Steps;

namespace ValidateTeardownRequest;

/// <summary>Lambda entry point of the ValidateTeardownRequest step: payload in, <see cref="ValidateTeardownRequestStep"/>, payload out.</summary>
public sealed class Function
{
    private readonly ValidateTeardownRequestStep _step;
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
        _step = new ValidateTeardownRequestStep(time, logger);
        _host = new StepHost(ValidateTeardownRequestStep.Name, logger, time: time, budget: budget);
    }

    private Function(FunctionServices services)
        : this(services.Time, services.Loggers.CreateLogger(ValidateTeardownRequestStep.Name), services.StepBudget)
    {
    }

    public async Task<Stream> FunctionHandler(Stream input) =>
        await _host.InvokeAsync(input, StepJsonContext.Default.ValidateTeardownRequestInput, StepJsonContext.Default.ValidateTeardownRequestOutput, _step.RunAsync);
}
