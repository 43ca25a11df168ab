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
    {
        _step = new ConfirmClusterGoneStep(clients, time, logger);
        _host = new StepHost(ConfirmClusterGoneStep.Name, logger);
    }

    private Function(FunctionServices services)
        : this(services.Clients, services.Time, services.Loggers.CreateLogger(ConfirmClusterGoneStep.Name))
    {
    }

    public async Task<Stream> FunctionHandler(Stream input) =>
        await _host.InvokeAsync(input, StepJsonContext.Default.ConfirmClusterGoneInput, StepJsonContext.Default.ConfirmClusterGoneOutput, _step.RunAsync);
}
