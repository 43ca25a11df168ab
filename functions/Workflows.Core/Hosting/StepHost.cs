using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Workflows.Core.Errors;
using Workflows.Core.Logging;

namespace Workflows.Core.Hosting;

/// <summary>
/// Runs one invocation of a step the way every function does: read the payload into the step's input record
/// (any malformation is an InvalidRequestException naming the field), run the step, write its output record,
/// with the invocation's log context (step, cold start, trace id) around it. Errors are logged and rethrown
/// unchanged, because Lambda reports the exception's type name and that is what the state machines catch.
/// Each invocation has a time budget on the TimeProvider: past it, the step's calls are cancelled and it fails
/// with <see cref="StepTimeoutException"/> (retried by the state machine) instead of being killed by Lambda
/// mid-call, which would surface as an opaque Lambda.Unknown.
/// </summary>
public sealed class StepHost
{
    /// <summary>Below the functions' 120 s Lambda timeout (template.yaml), leaving time to log and answer.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(100);

    private readonly string _step;
    private readonly ILogger _logger;
    private readonly Func<string, string?> _environment;
    private readonly ColdStartTracker _coldStart;
    private readonly TimeProvider _time;
    private readonly TimeSpan _budget;

    public StepHost(
        string step,
        ILogger logger,
        Func<string, string?>? environment = null,
        ColdStartTracker? coldStart = null,
        TimeProvider? time = null,
        TimeSpan? budget = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(step);
        ArgumentNullException.ThrowIfNull(logger);
        if (budget is { } b && b <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), b, "The step budget must be positive.");
        }

        _step = step;
        _logger = logger;
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _coldStart = coldStart ?? ColdStartTracker.Process;
        _time = time ?? TimeProvider.System;
        _budget = budget ?? DefaultBudget;
    }

    public TimeSpan Budget => _budget;

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
        using var budget = new CancellationTokenSource(_budget, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            try
            {
                var payload = await Payloads.ReadAsync(input, inputType, linked.Token);
                var result = await step(payload, linked.Token);
                return Payloads.Write(result, outputType);
            }
            catch (OperationCanceledException e) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new StepTimeoutException(_step, _budget, e);
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "{Step} failed with {ErrorType}: {ErrorMessage}", _step, e.GetType().Name, e.Message);
            throw;
        }
    }
}
