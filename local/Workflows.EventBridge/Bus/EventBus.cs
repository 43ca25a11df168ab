using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Workflows.EventBridge.Targets;

namespace Workflows.EventBridge.Bus;

/// <summary>
/// One event bus: its rules, a bounded log of every event put on it, and the delivery of matched events to an
/// <see cref="IEventTarget"/> with each target's retry policy; deliveries that fail for good land in
/// <see cref="DeadLetters"/>. Time comes from a <see cref="TimeProvider"/>: with a virtual clock, advancing it runs the
/// due retries inline, so a test sees their outcome as soon as Advance returns.
/// </summary>
public sealed class EventBus
{
    private readonly Dictionary<string, EventRule> _rules = new(StringComparer.Ordinal);
    private readonly LinkedList<BusEventRecord> _log = new();
    private readonly LinkedList<DeadLetter> _deadLetters = new();
    private readonly LinkedList<Delivery> _deliveries = new();
    private readonly object _gate = new();
    private readonly IEventTarget _target;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private long _sequence;
    private int _pending;
    private TaskCompletionSource _idle = NewSignal(completed: true);
    private TaskCompletionSource _appended = NewSignal(completed: false);

    public EventBus(string name, IEventTarget target, EventBusOptions? options = null, TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(target);
        Name = name;
        _target = target;
        Options = options ?? new EventBusOptions();
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? (Options.RandomSeed is { } seed ? new Random(seed) : new Random());
    }

    public string Name { get; }

    public EventBusOptions Options { get; }

    public string Arn => $"arn:aws:events:{Options.Region}:{Options.Account}:event-bus/{Name}";

    /// <summary>Deliveries under way or waiting for a retry.</summary>
    public int PendingDeliveries => Volatile.Read(ref _pending);

    public IReadOnlyList<EventRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return _rules.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
            }
        }
    }

    public IReadOnlyList<DeadLetter> DeadLetters
    {
        get
        {
            lock (_gate)
            {
                return [.. _deadLetters];
            }
        }
    }

    public IReadOnlyList<Delivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>The ARN of a rule of this bus ("rule/name" on the default bus, "rule/bus/name" on others).</summary>
    public string RuleArn(string ruleName) =>
        Name == "default"
            ? $"arn:aws:events:{Options.Region}:{Options.Account}:rule/{ruleName}"
            : $"arn:aws:events:{Options.Region}:{Options.Account}:rule/{Name}/{ruleName}";

    /// <summary>Creates the rule or, when one of that name exists, updates its pattern, state and description and keeps its targets (as PutRule does).</summary>
    public EventRule PutRule(EventRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            if (_rules.TryGetValue(rule.Name, out var existing))
            {
                existing.Pattern = rule.Pattern;
                existing.State = rule.State;
                existing.Description = rule.Description;
                existing.ScheduleExpression = rule.ScheduleExpression;
                return existing;
            }

            _rules[rule.Name] = rule;
            return rule;
        }
    }

    public EventRule? FindRule(string name)
    {
        lock (_gate)
        {
            return _rules.GetValueOrDefault(name);
        }
    }

    /// <summary>Deletes a rule that has no targets left; deleting a missing rule succeeds, as on AWS.</summary>
    /// <exception cref="InvalidOperationException">The rule still has targets.</exception>
    public void DeleteRule(string name)
    {
        lock (_gate)
        {
            if (_rules.TryGetValue(name, out var rule) && rule.Targets.Count > 0)
            {
                throw new InvalidOperationException("Rule can't be deleted since it has targets.");
            }

            _rules.Remove(name);
        }
    }

    /// <summary>
    /// Puts a complete event (version, id, detail-type, source, account, time, region, resources, detail) on the bus:
    /// logs it, matches it against the enabled rules and starts a delivery per target of each rule it matches.
    /// </summary>
    public BusEventRecord Put(JsonObject evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var ingestion = _time.GetUtcNow();
        var eventId = evt["id"]?.GetValue<string>() ?? NewId();
        var matched = new List<(EventRule Rule, IReadOnlyList<RuleTarget> Targets)>();
        BusEventRecord record;
        using var document = System.Text.Json.JsonDocument.Parse(evt.ToJsonString());
        lock (_gate)
        {
            foreach (var rule in _rules.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                if (rule.State == RuleState.Enabled && rule.Pattern is { } pattern && pattern.Matches(document.RootElement))
                {
                    matched.Add((rule, rule.Targets));
                }
            }

            record = new BusEventRecord(++_sequence, Name, eventId, ingestion, evt, matched.Select(m => m.Rule.Name).ToList());
            _log.AddLast(record);
            while (_log.Count > Math.Max(1, Options.EventLogCapacity))
            {
                _log.RemoveFirst();
            }

            var appended = _appended;
            _appended = NewSignal(completed: false);
            appended.TrySetResult();
        }

        foreach (var (rule, targets) in matched)
        {
            foreach (var target in targets)
            {
                StartDelivery(rule, target, evt, eventId, ingestion);
            }
        }

        return record;
    }

    /// <summary>The logged events after <paramref name="afterSequence"/>, oldest first.</summary>
    public IReadOnlyList<BusEventRecord> ListEvents(long afterSequence = 0, int? limit = null)
    {
        lock (_gate)
        {
            var items = _log.Where(r => r.Sequence > afterSequence);
            return (limit is { } n ? items.Take(n) : items).ToList();
        }
    }

    /// <summary>Every event after <paramref name="afterSequence"/>, then each new one as it is put, until cancelled.</summary>
    public async IAsyncEnumerable<BusEventRecord> TailAsync(long afterSequence = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var last = afterSequence;
        while (!cancellationToken.IsCancellationRequested)
        {
            Task signal;
            List<BusEventRecord> batch;
            lock (_gate)
            {
                batch = _log.Where(r => r.Sequence > last).ToList();
                signal = _appended.Task;
            }

            foreach (var record in batch)
            {
                last = record.Sequence;
                yield return record;
            }

            if (batch.Count == 0)
            {
                await signal.WaitAsync(cancellationToken);
            }
        }
    }

    /// <summary>Completes when no delivery is under way or waiting for a retry.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return _idle.Task;
        }
    }

    internal string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        lock (_random)
        {
            _random.NextBytes(bytes);
        }

        // A version-4 layout, so that the ids look like the service's.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }

    private void StartDelivery(EventRule rule, RuleTarget target, JsonObject evt, string eventId, DateTimeOffset ingestion)
    {
        lock (_gate)
        {
            if (_pending++ == 0)
            {
                _idle = NewSignal(completed: false);
            }
        }

        _ = DeliverAsync(rule, target, evt, eventId, ingestion);
    }

    private async Task DeliverAsync(EventRule rule, RuleTarget target, JsonObject evt, string eventId, DateTimeOffset ingestion)
    {
        var ruleArn = RuleArn(rule.Name);
        string input = string.Empty;
        try
        {
            input = target.RenderInput(evt, new TransformContext(ruleArn, rule.Name, ingestion));
            var policy = target.RetryPolicy;
            for (var attempt = 1; ; attempt++)
            {
                TargetOutcome outcome;
                try
                {
                    outcome = await _target.DeliverAsync(new TargetInvocation(rule.Name, ruleArn, target, input, evt, attempt), CancellationToken.None);
                }
#pragma warning disable CA1031 // A target's failure of any kind is a failed delivery, retried or dead-lettered, never a crash of the bus.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    outcome = new TargetOutcome(false, "INTERNAL_ERROR", e.Message, Retryable: true);
                }

                if (outcome.Succeeded)
                {
                    Remember(_deliveries, new Delivery(eventId, rule.Name, target.Id, target.Arn, input, attempt, _time.GetUtcNow()));
                    return;
                }

                var retries = attempt - 1;
                string? exhausted = null;
                if (outcome.Retryable)
                {
                    var delay = Backoff(attempt);
                    if (retries >= policy.MaximumRetryAttempts)
                    {
                        exhausted = "MaximumRetryAttempts";
                    }
                    else if (_time.GetUtcNow() + delay - ingestion > TimeSpan.FromSeconds(policy.MaximumEventAgeInSeconds))
                    {
                        exhausted = "MaximumEventAgeInSeconds";
                    }
                    else
                    {
                        await DelayAsync(delay);
                        continue;
                    }
                }

                Remember(_deadLetters, new DeadLetter(
                    eventId, rule.Name, ruleArn, target.Id, target.Arn, target.DeadLetterArn,
                    outcome.ErrorCode ?? "INTERNAL_ERROR", outcome.ErrorMessage ?? string.Empty, exhausted, retries, _time.GetUtcNow(), input, evt));
                return;
            }
        }
#pragma warning disable CA1031 // Rendering the input can only fail on a broken target definition; it is dead-lettered like any failure.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Remember(_deadLetters, new DeadLetter(
                eventId, rule.Name, ruleArn, target.Id, target.Arn, target.DeadLetterArn, "INTERNAL_ERROR", e.Message, null, 0, _time.GetUtcNow(), input, evt));
        }
        finally
        {
            TaskCompletionSource? idle = null;
            lock (_gate)
            {
                if (--_pending == 0)
                {
                    idle = _idle;
                }
            }

            idle?.TrySetResult();
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var ceiling = Math.Min(Options.RetryMaxDelay.TotalMilliseconds, Options.RetryBaseDelay.TotalMilliseconds * factor);
        double jitter;
        lock (_random)
        {
            jitter = 0.5 + (_random.NextDouble() * 0.5);
        }

        return TimeSpan.FromMilliseconds(Math.Max(1, ceiling * jitter));
    }

    /// <summary>
    /// Waits on the TimeProvider with continuations run inline by whoever fires the timer (no
    /// RunContinuationsAsynchronously): under a virtual clock the retry then happens inside Advance.
    /// </summary>
    private Task DelayAsync(TimeSpan delay)
    {
        var done = new TaskCompletionSource();
        ITimer? timer = null;
        timer = _time.CreateTimer(
            _ =>
            {
                timer?.Dispose();
                done.TrySetResult();
            },
            null,
            delay,
            Timeout.InfiniteTimeSpan);
        return done.Task;
    }

    private void Remember<T>(LinkedList<T> list, T item)
    {
        lock (_gate)
        {
            list.AddLast(item);
            while (list.Count > Math.Max(1, Options.HistoryCapacity))
            {
                list.RemoveFirst();
            }
        }
    }

    private static TaskCompletionSource NewSignal(bool completed)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            signal.SetResult();
        }

        return signal;
    }
}
