using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.History;
using Workflows.Engine.Paths;
using Workflows.Engine.Runtime;
using Workflows.Engine.States;
using Workflows.Engine.Tasks;
using Workflows.Engine.Time;

namespace Workflows.Engine;

/// <summary>
/// Runs Amazon States Language (JSONPath) state machines locally. By default time is virtual: waits, retry
/// backoff and timeouts complete as soon as nothing else can run, and every timestamp is on <see cref="Clock"/>.
/// </summary>
public sealed class AslEngine
{
    private static readonly char[] ForbiddenNameCharacters = ['<', '>', '{', '}', '[', ']', '?', '*', '"', '#', '%', '\\', '^', '|', '~', '`', '$', '&', ',', ';', ':', '/'];

    private readonly Random _seeds;

    public AslEngine(EngineOptions? options = null)
    {
        Options = options ?? new EngineOptions();
        VirtualClock = Options.ClockMode == ClockMode.Virtual ? Options.Clock ?? new VirtualClock() : null;
        Clock = VirtualClock ?? Options.RealTimeClock ?? TimeProvider.System;
        Lambda = Options.Lambda ?? new LambdaFunctionRegistry();
        EventBus = Options.EventBus ?? new LocalEventBus();
#pragma warning disable CA5394 // Seeds for reproducible runs, not secrets.
        _seeds = Options.Seed is { } seed ? new Random(seed) : new Random();
#pragma warning restore CA5394
    }

    public EngineOptions Options { get; }

    /// <summary>The engine's time: the virtual clock, or TimeProvider.System in real-time mode. Hand it to task code.</summary>
    public TimeProvider Clock { get; }

    public VirtualClock? VirtualClock { get; }

    /// <summary>The local Lambda functions that Lambda-backed Task states call.</summary>
    public LambdaFunctionRegistry Lambda { get; }

    /// <summary>Where events:putEvents tasks put their entries.</summary>
    public LocalEventBus EventBus { get; }

    public string StateMachineArn => $"arn:aws:states:{Options.Region}:{Options.Account}:stateMachine:{Options.StateMachineName}";

    /// <exception cref="AslValidationException">The definition is invalid or uses something unsupported.</exception>
    public static StateMachineDefinition Load(string definitionJson) => StateMachineDefinition.Load(definitionJson);

    public Task<ExecutionResult> StartExecutionAsync(string definitionJson, string? inputJson = null, string? name = null, CancellationToken cancellationToken = default) =>
        StartExecutionAsync(Load(definitionJson), inputJson, name, cancellationToken);

    /// <summary>Runs one execution to its end and returns its outcome and history.</summary>
    /// <exception cref="ExecutionRequestException">Bad name or input, as StartExecution would refuse them.</exception>
    /// <exception cref="AslValidationException">A Task resource that nothing can perform (and is not mocked).</exception>
    public Task<ExecutionResult> StartExecutionAsync(StateMachineDefinition definition, string? inputJson = null, string? name = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        int seed;
        lock (_seeds)
        {
#pragma warning disable CA5394 // Reproducible per-execution seeds.
            seed = _seeds.Next();
#pragma warning restore CA5394
        }

        var random = new Random(seed);
        name ??= Intrinsics.IntrinsicFunctions.NewUuid(random);
        ValidateName(name);
        var input = ParseInput(inputJson ?? "{}");
        var testCase = Options.MockConfig is { } mocks && Options.TestCase is { } tc ? mocks.TestCase(Options.StateMachineName, tc) : null;
        var invokers = Options.TaskInvokers.Concat([new LambdaTaskInvoker(Lambda), EventBus]).ToList();
        var dispatcher = new TaskDispatcher(invokers, Options.MockConfig, testCase);
        CheckResources(definition, dispatcher);
        if (Options.StartAt is { } startAt && !definition.Body.States.ContainsKey(startAt))
        {
            throw new ExecutionRequestException("ValidationException", $"StartAt: '{startAt}' is not a top-level state of the state machine.");
        }

        var scheduler = new ExecutionScheduler(VirtualClock);
        return Task.Factory.StartNew(
            () => scheduler.Run(() => RunAsync(definition, input, name, random, scheduler, dispatcher, cancellationToken)),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
    }

    private async Task<ExecutionResult> RunAsync(
        StateMachineDefinition definition,
        JsonNode? input,
        string name,
        Random random,
        ExecutionScheduler scheduler,
        TaskDispatcher dispatcher,
        CancellationToken cancellationToken)
    {
        var machine = Options.StateMachineName;
        // Express executions have their own ARN shape, the name followed by an id (recorded on AWS).
        var executionArn = Options.ExecutionType == ExecutionType.Express
            ? $"arn:aws:states:{Options.Region}:{Options.Account}:express:{machine}:{name}:{Intrinsics.IntrinsicFunctions.NewUuid(random)}"
            : $"arn:aws:states:{Options.Region}:{Options.Account}:execution:{machine}:{name}";
        var roleArn = Options.RoleArn ?? $"arn:aws:iam::{Options.Account}:role/service-role/StepFunctions-{machine}-role";
        var history = new ExecutionHistory(Clock, Options.OnHistoryEvent);
        var start = Clock.GetUtcNow();
        var inputText = JsonValues.ToJson(input);
        var run = new ExecutionRun
        {
            History = history,
            Clock = Clock,
            Scheduler = scheduler,
            IsVirtual = VirtualClock is not null,
            Random = random,
            Tasks = dispatcher,
            Region = Options.Region,
            Account = Options.Account,
            ExecutionArn = executionArn,
            ExecutionContext = new JsonObject
            {
                ["Id"] = executionArn,
                ["Input"] = input?.DeepClone(),
                ["Name"] = name,
                ["RoleArn"] = roleArn,
                ["StartTime"] = JsonValues.FormatTimestamp(start),
            },
            StateMachineContext = new JsonObject { ["Id"] = StateMachineArn, ["Name"] = machine },
        };
        if (Options.ExecutionType == ExecutionType.Standard)
        {
            run.ExecutionContext["RedriveCount"] = Options.RedriveCount; // only Standard executions can be redriven
        }

        history.Append(HistoryEventType.ExecutionStarted, 0, new JsonObject
        {
            ["input"] = inputText,
            ["inputDetails"] = new JsonObject { ["truncated"] = false },
            ["roleArn"] = roleArn,
        });

        // The caller's token may fire on any thread (a signal handler, say). The stop is handed to the execution's
        // thread instead, so that cancellation callbacks (virtual timers, continuations) run there before the
        // scheduler next looks for idle time, as every other cancellation in the engine does.
        using var stop = new CancellationTokenSource();
        var ended = false;
        if (cancellationToken.IsCancellationRequested)
        {
            stop.Cancel();
        }

        using var stopRequest = cancellationToken.Register(() => scheduler.Post(
            _ =>
            {
                if (!ended)
                {
                    stop.Cancel();
                }
            },
            null));
        using var timerStop = new CancellationTokenSource();
        var fiber = new Fiber(run, 1, stop.Token);
        var body = BodyRunner.RunAsync(definition.Body, input, fiber, Options.StartAt);
        var status = ExecutionStatus.Succeeded;
        string? output = null, error = null, cause = null;
        try
        {
            if (definition.TimeoutSeconds is { } seconds)
            {
                var timeout = ClockDelay.DelayAsync(Clock, TimeSpan.FromSeconds(seconds), timerStop.Token);
                if (await Task.WhenAny(body, timeout) == timeout)
                {
                    stop.Cancel(); // synchronously: callbacks must run on the scheduler thread, before it looks for idle time
                    status = ExecutionStatus.TimedOut;
                    error = ErrorNames.Timeout;
                    cause = string.Create(CultureInfo.InvariantCulture, $"The execution ran longer than the state machine's TimeoutSeconds ({seconds}).");
                    history.Append(HistoryEventType.ExecutionTimedOut, fiber.LastEventId, new JsonObject { ["error"] = error, ["cause"] = cause }, closes: true);
                }
            }

            if (status == ExecutionStatus.Succeeded)
            {
                var result = await body;
                output = JsonValues.ToJson(result);
                history.Append(HistoryEventType.ExecutionSucceeded, fiber.LastEventId, new JsonObject
                {
                    ["output"] = output,
                    ["outputDetails"] = new JsonObject { ["truncated"] = false },
                }, closes: true);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            status = ExecutionStatus.Aborted;
            // StopExecution's error is the caller's to give; a cancelled token gives none, only why.
            cause = "The execution was stopped by its caller's cancellation before it finished.";
            history.Append(HistoryEventType.ExecutionAborted, fiber.LastEventId, new JsonObject { ["cause"] = cause }, closes: true);
        }
        catch (StatesException e)
        {
            status = ExecutionStatus.Failed;
            // A Fail state may leave Error out; the execution then has no error name, as on the service.
            error = e.Error.Length == 0 ? null : e.Error;
            cause = e.Cause;
            history.Append(HistoryEventType.ExecutionFailed, fiber.LastEventId, new JsonObject { ["error"] = error, ["cause"] = cause }, closes: true);
        }
        finally
        {
            timerStop.Cancel(); // synchronously: callbacks must run on the scheduler thread, before it looks for idle time
            ended = true;
        }

        return new ExecutionResult
        {
            ExecutionArn = executionArn,
            Name = name,
            Status = status,
            Input = inputText,
            Output = output,
            // DescribeExecution of a TIMED_OUT execution has no error or cause (recorded on AWS); the
            // ExecutionTimedOut event keeps them (Inferred).
            Error = status == ExecutionStatus.TimedOut ? null : error,
            Cause = status == ExecutionStatus.TimedOut ? null : cause,
            History = history.Events,
            StartDate = start,
            StopDate = Clock.GetUtcNow(),
        };
    }

    private static void CheckResources(StateMachineDefinition definition, TaskDispatcher dispatcher)
    {
        var problems = definition.AllStates()
            .OfType<TaskState>()
            .Where(t => !dispatcher.IsMocked(t.Name) && dispatcher.InvokerFor(t.Resource) is null)
            .Select(t => new AslProblem(t.Name, "Resource", $"no local integration performs '{t.Resource}' (mock it, or register an ITaskInvoker)"))
            .ToList();
        if (problems.Count > 0)
        {
            throw new AslValidationException(problems);
        }
    }

    /// <summary>Checks an execution name as StartExecution does (1-80 characters, none of the forbidden ones).</summary>
    /// <exception cref="ExecutionRequestException">Code InvalidName, with the reason.</exception>
    public static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is < 1 or > 80)
        {
            throw new ExecutionRequestException("InvalidName", "The execution name must be 1 to 80 characters long.");
        }

        foreach (var c in name)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || (c >= '\u007F' && c <= '\u009F') || ForbiddenNameCharacters.Contains(c))
            {
                throw new ExecutionRequestException("InvalidName", $"Invalid Execution Name: '{name}' contains a character that is not allowed ('{c}').");
            }
        }
    }

    private static JsonNode? ParseInput(string inputJson)
    {
        JsonNode? input;
        try
        {
            input = JsonValues.Parse(inputJson);
        }
        catch (JsonException e)
        {
            throw new ExecutionRequestException("InvalidExecutionInput", $"Invalid State Machine Execution Input: {e.Message}");
        }

        if (JsonValues.Utf8Size(input) > BodyRunner.PayloadLimitBytes)
        {
            throw new ExecutionRequestException("InvalidExecutionInput", $"The execution input exceeds the maximum size of {BodyRunner.PayloadLimitBytes} bytes.");
        }

        return input;
    }
}
