using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Workflows.Core.Logging;

namespace Workflows.Core.Hosting;

/// <summary>
/// Runs one invocation of a step the way every function does: read the payload into the step's input record
/// (any malformation is an InvalidRequestException naming the field), run the step, write its output record,
/// with the invocation's log context (step, cold start, trace id) around it. Errors are logged and rethrown
/// unchanged, because Lambda reports the exception's type name and that is what the state machines catch.
/// </summary>
public sealed class StepHost
{
    private readonly string _step;
    private readonly ILogger _logger;
    private readonly Func<string, string?> _environment;
    private readonly ColdStartTracker _coldStart;

    public StepHost(string step, ILogger logger, Func<string, string?>? environment = null, ColdStartTracker? coldStart = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(step);
        ArgumentNullException.ThrowIfNull(logger);
        _step = step;
        _logger = logger;
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _coldStart = coldStart ?? ColdStartTracker.Process;
    }

    public async Task<Stream> InvokeAsync<TInput, TOutput>(
        Stream input,
        JsonTypeInfo<TInput> inputType,
        JsonTypeInfo<TOutput> outputType,
        Func<TInput, CancellationToken, Task<TOutput>> step,
        CancellationToken cancellationToken = default)
        where TInput : class
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(inputType);
        ArgumentNullException.ThrowIfNull(outputType);
        ArgumentNullException.ThrowIfNull(step);
        var context = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [LogKeys.Step] = _step,
            [LogKeys.ColdStart] = _coldStart.Next(),
        };
        if (FunctionEnvironment.TraceId(_environment) is { } traceId)
        {
            context[LogKeys.XRayTraceId] = traceId;
        }

        using var scope = _logger.BeginScope(context);
        try
        {
            var payload = await Payloads.ReadAsync(input, inputType, cancellationToken);
            var result = await step(payload, cancellationToken);
            return Payloads.Write(result, outputType);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "{Step} failed with {ErrorType}: {ErrorMessage}", _step, e.GetType().Name, e.Message);
            throw;
        }
    }
}
