using System.Globalization;
using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Paths;
using Workflows.Engine.States;
using Workflows.Engine.Tasks;
using Workflows.Engine.Time;

namespace Workflows.Engine.Runtime;

/// <summary>
/// Runs one Task attempt: picks the mock or the invoker, writes the Lambda* or Task* history events, and races the
/// invocation against TimeoutSeconds, HeartbeatSeconds and the fiber's cancellation.
/// </summary>
internal sealed class TaskDispatcher(IReadOnlyList<ITaskInvoker> invokers, MockConfig? mocks, IReadOnlyDictionary<string, string>? testCase)
{
    private readonly Dictionary<string, int> _mockAttempts = new(StringComparer.Ordinal);

    public bool IsMocked(string stateName) => testCase?.ContainsKey(stateName) == true;

    public ITaskInvoker? InvokerFor(string resource) => invokers.FirstOrDefault(i => i.CanInvoke(resource));

    public async Task<JsonNode?> InvokeAsync(StateContext context, TaskState state, JsonNode? parameters, int? timeoutSeconds, int? heartbeatSeconds)
    {
        var fiber = context.Fiber;
        var run = context.Run;
        var resource = TaskResource.Parse(state.Resource);
        RecordScheduled(fiber, resource, parameters, timeoutSeconds, heartbeatSeconds, run.Region);
        fiber.Record(resource.IsLambdaFunction ? HistoryEventType.LambdaFunctionStarted : HistoryEventType.TaskStarted, resource.IsLambdaFunction ? null : Describe(resource));

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(fiber.Token);
        var lastBeat = run.Clock.GetUtcNow();
        var work = Start(context, state, parameters, () => lastBeat = run.Clock.GetUtcNow(), attempt.Token);
        var timeout = timeoutSeconds is { } t ? ClockDelay.DelayAsync(run.Clock, TimeSpan.FromSeconds(t), attempt.Token) : null;
        var heartbeat = heartbeatSeconds is { } h ? WatchHeartbeatAsync(run.Clock, TimeSpan.FromSeconds(h), () => lastBeat, attempt.Token) : null;
        var cancelled = new TaskCompletionSource();
        using var registration = fiber.Token.Register(() => cancelled.TrySetResult());

        var racers = new List<Task> { work, cancelled.Task };
        if (timeout is not null)
        {
            racers.Add(timeout);
        }

        if (heartbeat is not null)
        {
            racers.Add(heartbeat);
        }

        var first = await Task.WhenAny(racers);
        attempt.Cancel(); // synchronously: callbacks must run on the scheduler thread, before it looks for idle time
        if (first == cancelled.Task)
        {
            throw new OperationCanceledException(fiber.Token);
        }

        if (first != work)
        {
            var fromHeartbeat = first == heartbeat;
            var error = new StatesTimeout(fromHeartbeat ? "The task did not send a heartbeat within HeartbeatSeconds." : "The task ran longer than TimeoutSeconds.")
            {
                FromHeartbeat = fromHeartbeat,
            };
            RecordOutcome(fiber, resource, resource.IsLambdaFunction ? HistoryEventType.LambdaFunctionTimedOut : HistoryEventType.TaskTimedOut, error.Error, error.Cause);
            throw error;
        }

        try
        {
            var result = await work;
            var output = JsonValues.ToJson(result);
            if (resource.IsLambdaFunction)
            {
                fiber.Record(HistoryEventType.LambdaFunctionSucceeded, new JsonObject { ["output"] = output, ["outputDetails"] = new JsonObject { ["truncated"] = false } });
            }
            else
            {
                var details = Describe(resource);
                details["output"] = output;
                details["outputDetails"] = new JsonObject { ["truncated"] = false };
                fiber.Record(HistoryEventType.TaskSucceeded, details);
            }

            return result;
        }
        catch (StatesException e)
        {
            RecordOutcome(fiber, resource, resource.IsLambdaFunction ? HistoryEventType.LambdaFunctionFailed : HistoryEventType.TaskFailed, e.Error, e.Cause);
            throw;
        }
    }

    private Task<JsonNode?> Start(StateContext context, TaskState state, JsonNode? parameters, Action heartbeat, CancellationToken token)
    {
        var run = context.Run;
        if (testCase is not null && testCase.TryGetValue(state.Name, out var responseName))
        {
            // Every attempt of a mocked state, retries and re-entries included, takes the next attempt index.
            _mockAttempts.TryGetValue(state.Name, out var index);
            _mockAttempts[state.Name] = index + 1;
            var mock = mocks!.ResponseFor(responseName, index);
            return mock.Throws
                ? Task.FromException<JsonNode?>(new TaskError(mock.Error!, mock.Cause))
                : Task.FromResult(mock.Return?.DeepClone());
        }

        var invoker = InvokerFor(state.Resource)
            ?? throw new StatesRuntime($"No task invoker handles resource '{state.Resource}' (state '{state.Name}')");
        var holdTime = !invoker.RunsInline(state.Resource);
#pragma warning disable CA5394 // Reproducible ids, not secrets.
        var random = new Random(run.Random.Next());
#pragma warning restore CA5394
        var invocation = new TaskInvocation(InvokerDelayFactory(run, holdTime), heartbeat, random)
        {
            Resource = state.Resource,
            Parameters = parameters?.DeepClone(),
            StateName = state.Name,
            ExecutionArn = run.ExecutionArn,
            StateMachineArn = run.StateMachineContext["Id"]!.GetValue<string>(),
            RetryCount = context.RetryCount,
            Region = run.Region,
            Account = run.Account,
            Clock = run.Clock,
        };
        return TrackAsync(run, holdTime, () => invoker.InvokeAsync(invocation, token));
    }

    // While an invocation is in flight virtual time must not jump: its real work may still schedule earlier events.
    // An inline invocation is the exception: all its work runs on the execution's thread, so "nothing runnable"
    // already means it is waiting on the clock.
    private static async Task<JsonNode?> TrackAsync(ExecutionRun run, bool holdTime, Func<Task<JsonNode?>> start)
    {
        if (holdTime)
        {
            run.Scheduler.BeginExternal();
        }

        try
        {
            // Copied once at the boundary: the engine hands state data on without copies and must own it, while
            // an invoker may keep (or later change) the node it returned, or return a node that has a parent.
            return (await start())?.DeepClone();
        }
        catch (StatesException)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            throw;
        }
#pragma warning disable CA1031 // An invoker's unexpected exception is the task's failure, not the engine's.
        catch (Exception e)
#pragma warning restore CA1031
        {
            throw new StatesTaskFailed($"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            if (holdTime)
            {
                run.Scheduler.EndExternal();
            }
        }
    }

    /// <summary>An invoker's DelayAsync: marks the invocation idle so virtual time can jump to the end of the wait.</summary>
    private static Func<TimeSpan, CancellationToken, Task> InvokerDelayFactory(ExecutionRun run, bool holdsTime) => (delay, ct) =>
    {
        if (!run.IsVirtual || !holdsTime)
        {
            return ClockDelay.DelayAsync(run.Clock, delay, ct);
        }

        var done = 0;
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        run.Scheduler.EndExternal();
        ITimer? timer = null;
        CancellationTokenRegistration registration = default;
        timer = run.Clock.CreateTimer(
            _ =>
            {
                if (Interlocked.Exchange(ref done, 1) == 0)
                {
                    run.Scheduler.BeginExternal();
                    registration.Dispose();
                    tcs.TrySetResult();
                }
            },
            null,
            delay,
            Timeout.InfiniteTimeSpan);
        registration = ct.Register(() =>
        {
            if (Interlocked.Exchange(ref done, 1) == 0)
            {
                timer.Dispose();
                run.Scheduler.BeginExternal();
                tcs.TrySetCanceled(ct);
            }
        });
        return tcs.Task;
    };

    private static async Task WatchHeartbeatAsync(TimeProvider clock, TimeSpan interval, Func<DateTimeOffset> lastBeat, CancellationToken ct)
    {
        while (true)
        {
            var remaining = lastBeat() + interval - clock.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            await ClockDelay.DelayAsync(clock, remaining, ct);
        }
    }

    private static void RecordScheduled(Fiber fiber, TaskResource resource, JsonNode? parameters, int? timeout, int? heartbeat, string region)
    {
        if (resource.IsLambdaFunction)
        {
            var details = new JsonObject
            {
                ["resource"] = resource.Arn,
                ["input"] = JsonValues.ToJson(parameters),
                ["inputDetails"] = new JsonObject { ["truncated"] = false },
            };
            if (timeout is { } t)
            {
                details["timeoutInSeconds"] = t;
            }

            fiber.Record(HistoryEventType.LambdaFunctionScheduled, details);
            return;
        }

        var task = Describe(resource);
        task["region"] = region;
        task["parameters"] = JsonValues.ToJson(parameters);
        if (timeout is { } to)
        {
            task["timeoutInSeconds"] = to;
        }

        if (heartbeat is { } hb)
        {
            task["heartbeatInSeconds"] = hb;
        }

        fiber.Record(HistoryEventType.TaskScheduled, task);
    }

    private static void RecordOutcome(Fiber fiber, TaskResource resource, string type, string error, string? cause)
    {
        var details = resource.IsLambdaFunction ? [] : Describe(resource);
        details["error"] = error;
        details["cause"] = cause;
        fiber.Record(type, details);
    }

    private static JsonObject Describe(TaskResource resource) => new()
    {
        ["resourceType"] = resource.ResourceType,
        ["resource"] = resource.Pattern is null ? resource.ResourceName : string.Create(CultureInfo.InvariantCulture, $"{resource.ResourceName}.{resource.Pattern}"),
    };
}
