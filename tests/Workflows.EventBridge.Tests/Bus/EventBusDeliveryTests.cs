using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Workflows.EventBridge.Bus;
using Workflows.EventBridge.Patterns;
using Workflows.EventBridge.Targets;

namespace Workflows.EventBridge.Tests.Bus;

public sealed class EventBusDeliveryTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-26T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeTarget _target = new();

    private EventBus NewBus(RetryPolicy? policy = null, string? dlq = "arn:aws:sqs:us-east-1:123456789012:dlq", RuleState state = RuleState.Enabled)
    {
        var bus = new EventBus("workflows", _target, new EventBusOptions { RandomSeed = 7 }, _clock);
        var rule = bus.PutRule(new EventRule("Provision", EventPattern.Parse("""{ "source": ["workflows.requests"] }"""), state));
        rule.PutTargets([new RuleTarget("sm", "arn:aws:states:us-east-1:123456789012:stateMachine:Provision", inputPath: "$.detail", retryPolicy: policy, deadLetterArn: dlq)]);
        return bus;
    }

    private static JsonObject Event(string source = "workflows.requests") => new()
    {
        ["version"] = "0", ["id"] = "e-1", ["detail-type"] = "x", ["source"] = source, ["account"] = "123456789012",
        ["time"] = "2026-11-26T08:00:00Z", ["region"] = "us-east-1", ["resources"] = new JsonArray(), ["detail"] = new JsonObject { ["k"] = 1 },
    };

    [Fact]
    public void Put_MatchingEvent_DeliversTheRenderedInputOnce()
    {
        var bus = NewBus();

        var record = bus.Put(Event());

        record.MatchedRules.Should().Equal("Provision");
        _target.Invocations.Should().ContainSingle().Which.Input.Should().Be("{\"k\":1}");
        _target.Invocations[0].RuleArn.Should().Be("arn:aws:events:us-east-1:123456789012:rule/workflows/Provision");
        bus.Deliveries.Should().ContainSingle().Which.Attempts.Should().Be(1);
        bus.PendingDeliveries.Should().Be(0);
    }

    [Fact]
    public void Put_NonMatchingEvent_DeliversNothingButIsLogged()
    {
        var bus = NewBus();

        bus.Put(Event("someone.else"));

        _target.Invocations.Should().BeEmpty();
        bus.ListEvents().Should().ContainSingle().Which.MatchedRules.Should().BeEmpty();
    }

    [Fact]
    public void Put_DisabledRule_DeliversNothing()
    {
        var bus = NewBus(state: RuleState.Disabled);

        bus.Put(Event());

        _target.Invocations.Should().BeEmpty();
    }

    [Fact]
    public void Put_TargetFailsThenSucceeds_RetriesOnTheClockAndDelivers()
    {
        _target.Then(TargetOutcome.Failure("THROTTLING", "slow down")).Then(TargetOutcome.Failure("THROTTLING", "slow down")).Then(TargetOutcome.Success);
        var bus = NewBus();

        bus.Put(Event());
        _target.Invocations.Should().HaveCount(1);
        bus.PendingDeliveries.Should().Be(1);

        _clock.Advance(TimeSpan.FromSeconds(1)); // the first retry waits 0.5 to 1 s
        _target.Invocations.Should().HaveCount(2);
        _clock.Advance(TimeSpan.FromSeconds(2)); // the second 1 to 2 s
        _target.Invocations.Should().HaveCount(3);

        bus.PendingDeliveries.Should().Be(0);
        bus.WhenIdleAsync().IsCompleted.Should().BeTrue();
        bus.DeadLetters.Should().BeEmpty();
        bus.Deliveries.Should().ContainSingle().Which.Attempts.Should().Be(3);
        _target.Invocations.Select(i => i.Attempt).Should().Equal(1, 2, 3);
    }

    [Fact]
    public void Put_TargetKeepsFailing_DeadLettersAfterMaximumRetryAttempts()
    {
        _target.Then(TargetOutcome.Failure("THROTTLING", "Rate exceeded"));
        var bus = NewBus(new RetryPolicy(maximumRetryAttempts: 5, maximumEventAgeInSeconds: 3600));

        bus.Put(Event());
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        _target.Invocations.Should().HaveCount(6, "one attempt and five retries");
        var dead = bus.DeadLetters.Should().ContainSingle().Which;
        dead.ExhaustedRetryCondition.Should().Be("MaximumRetryAttempts");
        dead.RetryAttempts.Should().Be(5);
        dead.ErrorCode.Should().Be("THROTTLING");
        dead.ErrorMessage.Should().Be("Rate exceeded");
        dead.QueueArn.Should().Be("arn:aws:sqs:us-east-1:123456789012:dlq");
        dead.RuleArn.Should().Be("arn:aws:events:us-east-1:123456789012:rule/workflows/Provision");
        dead.TargetArn.Should().EndWith(":stateMachine:Provision");
        dead.Input.Should().Be("{\"k\":1}");
        bus.PendingDeliveries.Should().Be(0);
    }

    [Fact]
    public void Put_TargetKeepsFailing_DeadLettersWhenTheEventIsTooOld()
    {
        _target.Then(TargetOutcome.Failure("TIMEOUT", "timed out"));
        var bus = NewBus(new RetryPolicy(maximumRetryAttempts: 185, maximumEventAgeInSeconds: 60));

        bus.Put(Event());
        for (var i = 0; i < 200 && bus.PendingDeliveries > 0; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        var dead = bus.DeadLetters.Should().ContainSingle().Which;
        dead.ExhaustedRetryCondition.Should().Be("MaximumEventAgeInSeconds");
        (dead.FailedAt - _clock.Start).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(60));
        dead.RetryAttempts.Should().BeGreaterThan(0).And.BeLessThan(185);
    }

    [Fact]
    public void Put_MissingPermissions_DeadLettersWithoutRetrying()
    {
        _target.Then(TargetOutcome.Failure("NO_PERMISSIONS", "not allowed"));
        var bus = NewBus();

        bus.Put(Event());

        _target.Invocations.Should().HaveCount(1);
        var dead = bus.DeadLetters.Should().ContainSingle().Which;
        dead.ExhaustedRetryCondition.Should().BeNull();
        dead.RetryAttempts.Should().Be(0);
    }

    [Fact]
    public void Put_TargetThrows_CountsAsARetryableFailure()
    {
        _target.Then(_ => throw new InvalidOperationException("boom")).Then(TargetOutcome.Success);
        var bus = NewBus();

        bus.Put(Event());
        _clock.Advance(TimeSpan.FromSeconds(1));

        bus.Deliveries.Should().ContainSingle().Which.Attempts.Should().Be(2);
    }

    [Fact]
    public void Put_FailureWithoutDeadLetterConfig_IsStillRecordedWithoutAQueue()
    {
        _target.Then(TargetOutcome.Failure("NO_RESOURCE", "gone"));
        var bus = NewBus(dlq: null);

        bus.Put(Event());

        bus.DeadLetters.Should().ContainSingle().Which.QueueArn.Should().BeNull();
    }

    [Fact]
    public void ListEvents_OverCapacity_KeepsTheNewest()
    {
        var bus = new EventBus("b", _target, new EventBusOptions { EventLogCapacity = 3 }, _clock);

        for (var i = 0; i < 5; i++)
        {
            bus.Put(Event());
        }

        bus.ListEvents().Select(r => r.Sequence).Should().Equal(3, 4, 5);
        bus.ListEvents(afterSequence: 4).Select(r => r.Sequence).Should().Equal(5);
        bus.ListEvents(limit: 1).Select(r => r.Sequence).Should().Equal(3);
    }

    [Fact]
    public async Task TailAsync_EventPutLater_IsYielded()
    {
        var bus = new EventBus("b", _target, timeProvider: _clock);
        bus.Put(Event());
        using var cts = new CancellationTokenSource();
        var seen = new List<long>();

        var tail = Task.Run(async () =>
        {
            await foreach (var record in bus.TailAsync(0, cts.Token))
            {
                seen.Add(record.Sequence);
                if (seen.Count == 2)
                {
                    return;
                }
            }
        });
        bus.Put(Event());

        await tail.WaitAsync(TimeSpan.FromSeconds(30));
        seen.Should().Equal(1, 2);
    }

    [Fact]
    public void PutTargets_OverFive_Throws()
    {
        var rule = new EventRule("r", EventPattern.Parse("""{ "source": ["x"] }"""));

        var act = () => rule.PutTargets(Enumerable.Range(0, 6).Select(i => new RuleTarget($"t{i}", "arn:x")));

        act.Should().Throw<InvalidOperationException>().WithMessage("Rule r would have 6 targets, over the limit of 5");
    }
}

public sealed class EngineEventsTests
{
    [Fact]
    public void Forward_EngineOutcomeEvents_LandOnTheNamedBus()
    {
        var service = new EventBridgeService(new FakeTarget(), timeProvider: new FakeTimeProvider());
        var time = DateTimeOffset.Parse("2026-11-26T08:10:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var published = new Workflows.Engine.Tasks.LocalEvent("x", "workflows", "workflows.provision", "DSQL Cluster Pair Provisioned", new JsonObject { ["pair"] = "p" }, time)
        {
            Resources = ["arn:aws:states:us-east-1:123456789012:execution:m:e"],
        };

        var result = EngineEvents.Forward(service, [published]);

        result.FailedEntryCount.Should().Be(0);
        var logged = service.FindBus("workflows")!.ListEvents().Should().ContainSingle().Which.Event;
        logged["detail-type"]!.GetValue<string>().Should().Be("DSQL Cluster Pair Provisioned");
        logged["time"]!.GetValue<string>().Should().Be("2026-11-26T08:10:00Z");
        logged["resources"]![0]!.GetValue<string>().Should().EndWith(":execution:m:e");
        logged["detail"]!["pair"]!.GetValue<string>().Should().Be("p");
    }

    [Fact]
    public void PutEvents_DetailNumbers_KeepTheirTextForExactMatching()
    {
        var target = new FakeTarget();
        var service = new EventBridgeService(target, timeProvider: new FakeTimeProvider());
        service.DefaultBus.PutRule(new EventRule("r", EventPattern.Parse("""{ "detail": { "x": [300] } }"""))).PutTargets([new RuleTarget("t", "arn:x")]);

        service.PutEvents([new PutEventsEntry("s", "T", """{"x":300.0}"""), new PutEventsEntry("s", "T", """{"x":300}""")]);

        target.Invocations.Should().ContainSingle().Which.Input.Should().Contain("\"x\":300}");
    }
}
