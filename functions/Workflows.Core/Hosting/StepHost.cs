using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Workflows.Core.Errors;
using Workflows.Core.Logging;

namespace Workflows.Core.Hosting;

/// <summary>
/// Runs one invocation of a step the way every function does: read the payload into the step's input record
/// (any malformation is an InvalidRequestException naming the field), run the step, write its output record,
/// with the invocation's log context (step, cold start, request id, trace id) around it. Errors are logged and
/// rethrown unchanged, because Lambda reports the exception's type name and that is what the state machines catch.
/// Each invocation has a time budget on the TimeProvider: the configured budget, cut short so that it ends a margin
/// before the invocation's deadline. Past it, the step's calls are cancelled and it fails with
/// <see cref="StepTimeoutException"/> (retried by the state machine) instead of being killed by Lambda mid-call,
/// which would surface as Sandbox.Timedout with nothing logged.
/// </summary>
public sealed class StepHost
{
    /// <summary>Below the functions' 120 s Lambda timeout (template.yaml), leaving time to log and answer.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(100);

    /// <summary>
    /// How long before Lambda's deadline the budget ends, so the error is logged and posted before Lambda stops the
    /// process. Inferred: no source gives a figure; a second covers a log line and one loopback POST.
    /// </summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(1);

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

    /// <summary>The budget of an invocation with <paramref name="context"/>: the configured one, or less so that it ends <see cref="DeadlineMargin"/> before the deadline.</summary>
    public TimeSpan BudgetFor(InvocationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Deadline is not { } deadline)
        {
            return _budget;
        }

        var left = deadline - _time.GetUtcNow() - DeadlineMargin;
        // Even a deadline already (nearly) passed gets a moment: the step then fails fast with StepTimeoutException.
        return left < _budget ? (left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)) : _budget;
    }

    public async Task<Stream> InvokeAsync<TInput, TOutput>(
        Stream input,
        InvocationContext context,
        JsonTypeInfo<TInput> inputType,
        JsonTypeInfo<TOutput> outputType,
        Func<TInput, CancellationToken, Task<TOutput>> step,
        CancellationToken cancellationToken = default)
        where TInput : class
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(inputType);
        ArgumentNullException.ThrowIfNull(outputType);
        ArgumentNullException.ThrowIfNull(step);
        var scopeValues = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [LogKeys.Step] = _step,
            [LogKeys.ColdStart] = _coldStart.Next(),
        };
        if (context.RequestId is { } requestId)
        {
            scopeValues[LogKeys.FunctionRequestId] = requestId;
        }

        if (context.InvokedFunctionArn is { } arn)
        {
            scopeValues[LogKeys.FunctionArn] = arn;
        }

        if ((context.TraceId ?? FunctionEnvironment.TraceId(_environment)) is { } traceId)
        {
            scopeValues[LogKeys.XRayTraceId] = traceId;
        }

        var allowed = BudgetFor(context);
        using var scope = _logger.BeginScope(scopeValues);
        using var budget = new CancellationTokenSource(allowed, _time);
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
                throw new StepTimeoutException(_step, allowed, e);
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "{Step} failed with {ErrorType}: {ErrorMessage}", _step, e.GetType().Name, e.Message);
            throw;
        }
    }
}
