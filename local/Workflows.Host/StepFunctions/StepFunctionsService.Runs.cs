using System.Text.Json.Nodes;
using Workflows.Engine;
using Workflows.Engine.Definition;
using Workflows.Engine.History;
using Workflows.Host.AwsJson;

namespace Workflows.Host.StepFunctions;

/// <summary>How executions run: one engine per run, its events copied into the record as they happen.</summary>
public sealed partial class StepFunctionsService
{
    private (StateMachineRecord Machine, string Name, string Input, string? Trace) ReadStart(JsonObject request)
    {
        var machineArn = Fields.Required(request, "stateMachineArn");
        var name = Fields.Optional(request, "name") ?? NewId();
        var input = Fields.Optional(request, "input") ?? "{}";
        var trace = Fields.Optional(request, "traceHeader");
        var machine = Machine(machineArn);
        try
        {
            AslEngine.ValidateName(name);
        }
        catch (ExecutionRequestException e)
        {
            throw new AwsJsonException(e.Code, e.Message);
        }

        try
        {
            System.Text.Json.JsonDocument.Parse(input).Dispose();
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new AwsJsonException("InvalidExecutionInput", $"Invalid State Machine Execution Input: '{e.Message}'");
        }

        return (machine, name, input, trace);
    }

    // Called with _gate held.
    private ExecutionRecord NewExecution(StateMachineRecord machine, string arn, string name, string input, string? trace)
    {
        var record = new ExecutionRecord
        {
            Arn = arn,
            StateMachineArn = machine.Arn,
            StateMachineName = machine.Name,
            Name = name,
            Type = machine.Type,
            Input = input,
            TraceHeader = trace,
            Status = "RUNNING",
            StartDate = Clock.GetUtcNow(),
            Definition = machine.Definition,
            RoleArn = machine.RoleArn,
            StateMachineUpdateDate = machine.UpdateDate ?? machine.CreationDate,
            RevisionId = machine.RevisionId,
        };
        _executions[arn] = record;
        _executionOrder.Add(record);
        lock (record)
        {
            _store.SaveExecution(record);
        }

        return record;
    }

    private AslEngine NewEngine(string machine, string roleArn, ExecutionType type, string? startAt, int redriveCount, Action<HistoryEvent>? onEvent)
    {
        int? seed = null;
        if (Options.Seed is not null)
        {
            lock (_names)
            {
#pragma warning disable CA5394 // Reproducible per-execution seeds.
                seed = _names.Next();
#pragma warning restore CA5394
            }
        }

        return new AslEngine(new EngineOptions
        {
            ClockMode = Options.VirtualClock is null ? Engine.Time.ClockMode.RealTime : Engine.Time.ClockMode.Virtual,
            Clock = Options.VirtualClock,
            RealTimeClock = Options.Time,
            Seed = seed,
            Region = Options.Region,
            Account = Options.Account,
            StateMachineName = machine,
            RoleArn = roleArn,
            ExecutionType = type,
            Lambda = Options.Lambda,
            TaskInvokers = Options.TaskInvokers,
            EventBus = Options.EventBus,
            StartAt = startAt,
            RedriveCount = redriveCount,
            OnHistoryEvent = onEvent,
        });
    }

    /// <summary>On a virtual clock one execution runs at a time; in real time they run side by side.</summary>
    private async Task<T> RunTurnAsync<T>(Func<Task<T>> run, CancellationToken cancellationToken)
    {
        if (Options.VirtualClock is null)
        {
            return await run();
        }

        await _virtualTurn.WaitAsync(cancellationToken);
        try
        {
            return await run();
        }
        finally
        {
            _virtualTurn.Release();
        }
    }

    /// <summary>Starts (or, for a redrive, resumes) the record's run in the background.</summary>
    private void Launch(ExecutionRecord record, string? startAt, string stateInput)
    {
        long offset;
        int redriveCount;
        lock (record)
        {
            offset = record.Events.Count;
            redriveCount = record.RedriveCount;
            record.Stop = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        }

        var stop = record.Stop.Token;
        var topLevel = TopLevelStates(record.Definition);
        var engine = NewEngine(record.StateMachineName, record.RoleArn, ExecutionType.Standard, startAt, redriveCount, e => Append(record, e, offset, redriveCount, topLevel));
        _ = Task.Run(async () =>
        {
            ExecutionResult? result = null;
            string? refusal = null;
            try
            {
                result = await RunTurnAsync(() => engine.StartExecutionAsync(record.Definition, stateInput, record.Name, stop), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped while waiting for its turn on the virtual clock: it never ran.
            }
            catch (Exception e) when (e is AslValidationException or ExecutionRequestException)
            {
                refusal = e.Message;
            }
#pragma warning disable CA1031 // Whatever went wrong, the execution must close, or its callers would wait forever.
            catch (Exception e) when (e is not OperationCanceledException)
            {
                refusal = $"The local engine failed: {e.GetType().Name}: {e.Message}";
            }
#pragma warning restore CA1031

            Close(record, result, refusal);
        }, CancellationToken.None);
    }

    private void Append(ExecutionRecord record, HistoryEvent e, long offset, int redriveCount, HashSet<string> topLevel)
    {
        var o = new JsonObject
        {
            ["timestamp"] = Fields.Timestamp(e.Timestamp),
            ["type"] = e.Type,
            ["id"] = e.Id + offset,
            ["previousEventId"] = e.PreviousEventId == 0 && e.Id == 1 ? offset : e.PreviousEventId + (e.PreviousEventId == 0 ? 0 : offset),
        };
        if (offset > 0 && e.Type == HistoryEventType.ExecutionStarted)
        {
            // A redrive continues the same history: its first event says so instead of starting again.
            o["type"] = "ExecutionRedriven";
            o["executionRedrivenEventDetails"] = new JsonObject { ["redriveCount"] = redriveCount };
        }
        else if (HistoryEventType.DetailsMember(e.Type) is { } member)
        {
            o[member] = e.Details.DeepClone();
        }

        lock (record)
        {
            record.Events.Add(o);
            // Saved as each top-level state is entered (not on every event): what a redrive after a restart needs
            // is the state that was running and its input, and one write per state keeps long histories cheap.
            if (e.Type.EndsWith("StateEntered", StringComparison.Ordinal) && e.StateName is { } name && topLevel.Contains(name))
            {
                _store.SaveExecution(record);
            }
        }
    }

    private static HashSet<string> TopLevelStates(string definition) =>
        (JsonNode.Parse(definition)?["States"] as JsonObject)?.Select(p => p.Key).ToHashSet(StringComparer.Ordinal) ?? [];

    private void Close(ExecutionRecord record, ExecutionResult? result, string? refusal)
    {
        var now = Clock.GetUtcNow();
        lock (record)
        {
            if (_shutdown.IsCancellationRequested && record.StopRequest is null)
            {
                // The host is going down: the file keeps RUNNING, and the next start marks it interrupted.
                record.Closed.TrySetResult();
                return;
            }

            record.StopDate = result?.StopDate ?? now;
            if (record.StopRequest is { } stopped)
            {
                record.Status = "ABORTED";
                record.Error = stopped.Error;
                record.Cause = stopped.Cause;
                // StopExecution's error and cause are the abort's, not the engine's cancellation wording.
                var last = record.Events.LastOrDefault();
                var aborted = new JsonObject();
                if (stopped.Error is not null)
                {
                    aborted["error"] = stopped.Error;
                }

                if (stopped.Cause is not null)
                {
                    aborted["cause"] = stopped.Cause;
                }

                if (last?["type"]?.GetValue<string>() == HistoryEventType.ExecutionAborted)
                {
                    last["executionAbortedEventDetails"] = aborted;
                }
                else
                {
                    AppendClosing(record, HistoryEventType.ExecutionAborted, "executionAbortedEventDetails", aborted, now);
                }
            }
            else if (result is null)
            {
                record.Status = "FAILED";
                record.Error = "States.Runtime";
                record.Cause = refusal;
                AppendClosing(record, HistoryEventType.ExecutionFailed, "executionFailedEventDetails", new JsonObject { ["error"] = record.Error, ["cause"] = refusal }, now);
            }
            else
            {
                record.Status = result.StatusText;
                record.Output = result.Output;
                record.Error = result.Error;
                record.Cause = result.Cause;
            }

            record.Stop?.Dispose();
            record.Stop = null;
            _store.SaveExecution(record);
            record.Closed.TrySetResult();
        }
    }

    // Called with the record's lock held.
    private static void AppendClosing(ExecutionRecord record, string type, string member, JsonObject details, DateTimeOffset at)
    {
        var previous = record.Events.Count;
        record.Events.Add(new JsonObject
        {
            ["timestamp"] = Fields.Timestamp(at),
            ["type"] = type,
            ["id"] = previous + 1,
            ["previousEventId"] = previous,
            [member] = details,
        });
    }

    private void MarkInterrupted(ExecutionRecord record)
    {
        var at = record.Events.Count > 0 && record.Events[^1]["timestamp"] is JsonValue v && v.TryGetValue<double>(out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
            : record.StartDate;
        record.Status = "ABORTED";
        record.StopDate = at;
        record.Error = "Host.Interrupted";
        record.Cause = InterruptedCause;
        AppendClosing(record, HistoryEventType.ExecutionAborted, "executionAbortedEventDetails", new JsonObject { ["error"] = record.Error, ["cause"] = record.Cause }, at);
        _store.SaveExecution(record);
    }

    // Called with the record's lock held.
    private (bool Redrivable, string? Reason) Redrivability(ExecutionRecord e)
    {
        if (e.Type == "EXPRESS")
        {
            return (false, "Express executions cannot be redriven");
        }

        if (e.Status is "RUNNING" or "SUCCEEDED" or "PENDING_REDRIVE")
        {
            return (false, $"Execution is {e.Status}; only a FAILED, TIMED_OUT or ABORTED execution can be redriven");
        }

        // AWS allows a redrive within 14 days of the execution's end.
        if (e.StopDate is { } stop && Clock.GetUtcNow() - stop > TimeSpan.FromDays(14))
        {
            return (false, "Execution ended more than 14 days ago and can no longer be redriven");
        }

        if (e.Events.Count >= ExecutionHistory.MaxEvents)
        {
            return (false, "Execution history has reached the 25,000-event limit");
        }

        return (true, null);
    }

    /// <summary>
    /// Where a redrive resumes: the last top-level state entered (the one that was running or failed, a failure
    /// inside a Parallel or Map surfacing there) with the input it was entered with. Inferred: a Map or Parallel is
    /// re-run whole (AWS re-runs only its unsuccessful iterations), and workflow variables assigned before it start
    /// again unset. No state entered yet: the whole execution again from StartAt.
    /// </summary>
    private static (string? State, string Input) RedrivePoint(ExecutionRecord e)
    {
        var top = TopLevelStates(e.Definition);
        for (var i = e.Events.Count - 1; i >= 0; i--)
        {
            var type = e.Events[i]["type"]?.GetValue<string>() ?? string.Empty;
            if (type.EndsWith("StateEntered", StringComparison.Ordinal)
                && e.Events[i]["stateEnteredEventDetails"] is JsonObject details
                && details["name"]?.GetValue<string>() is { } name
                && top.Contains(name))
            {
                return (name, details["input"]?.GetValue<string>() ?? "{}");
            }
        }

        return (null, e.Input);
    }
}
