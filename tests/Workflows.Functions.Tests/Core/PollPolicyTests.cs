using Microsoft.Extensions.Time.Testing;
using Workflows.Core.Polling;
using Workflows.Core.Requests;

namespace Workflows.Functions.Tests.Core;

public sealed class PollPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly ClusterRef A = new("us-east-1", "abcdefghijklmnopqrstuvwxyz");
    private static readonly ClusterRef B = new("us-east-2", "bcdefghijklmnopqrstuvwxyza");
    private static readonly PollingOptions Options = PollingOptions.ProvisionDefaults;

    private readonly FakeTimeProvider _time = new(Start);

    private PollOutcome Decide(int attempt, params ClusterProgress[] progress) =>
        new PollPolicy(_time).Decide(new PollState(attempt, Start, 0), Options, progress, "ACTIVE");

    [Fact]
    public void Decide_AllReached_ReadyWithTheNextAttempt()
    {
        _time.Advance(TimeSpan.FromSeconds(300));

        var outcome = Decide(2, new(A, ProgressKind.Reached), new(B, ProgressKind.Reached));

        outcome.Should().Be(new PollOutcome(PollDecision.Ready, null, 3, Start, 0));
    }

    [Fact]
    public void Decide_OneFailed_FailedWithItsReason()
    {
        var outcome = Decide(0, new(A, ProgressKind.Reached), new(B, ProgressKind.Failed, "cluster B is FAILED"));

        outcome.Decision.Should().Be(PollDecision.Failed);
        outcome.Reason.Should().Be("cluster B is FAILED");
    }

    [Fact]
    public void Decide_ReadyAfterTheDeadline_StillReady()
    {
        _time.Advance(TimeSpan.FromHours(2));

        Decide(70, new ClusterProgress(A, ProgressKind.Reached)).Decision.Should().Be(PollDecision.Ready);
    }

    [Fact]
    public void Decide_AttemptsUsedUp_DeadlineExceeded()
    {
        var outcome = Decide(59, new ClusterProgress(A, ProgressKind.Pending));

        outcome.Decision.Should().Be(PollDecision.DeadlineExceeded);
        outcome.Attempt.Should().Be(60);
        outcome.Reason.Should().Contain("maxAttempts 60").And.Contain(A.Identifier);
    }

    [Fact]
    public void Decide_DeadlineReached_DeadlineExceeded()
    {
        _time.Advance(TimeSpan.FromSeconds(3600));

        Decide(5, new ClusterProgress(A, ProgressKind.Pending)).Decision.Should().Be(PollDecision.DeadlineExceeded);
    }

    [Fact]
    public void Decide_JustBeforeTheDeadline_WaitsOnlyUntilIt()
    {
        _time.Advance(TimeSpan.FromSeconds(3595));

        var outcome = Decide(5, new ClusterProgress(A, ProgressKind.Pending));

        outcome.Decision.Should().Be(PollDecision.Wait);
        outcome.NextWaitSeconds.Should().Be(5);
    }

    [Fact]
    public void Decide_NoPreviousState_StartsNowAtAttemptOne()
    {
        _time.Advance(TimeSpan.FromSeconds(42));

        var outcome = new PollPolicy(_time).Decide(null, Options, [new(A, ProgressKind.Pending)], "ACTIVE");

        outcome.Should().Be(new PollOutcome(PollDecision.Wait, null, 1, Start.AddSeconds(42), 10));
    }

    [Fact]
    public void Decide_StartInTheFuture_CountsAsNoTimeSpent()
    {
        var outcome = new PollPolicy(_time).Decide(new PollState(0, Start.AddHours(1), 0), Options, [new(A, ProgressKind.Pending)], "ACTIVE");

        outcome.Decision.Should().Be(PollDecision.Wait);
        outcome.NextWaitSeconds.Should().Be(Options.MinDelaySeconds);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(99, 10)]
    [InlineData(180, 18)]
    [InlineData(189.9, 18)]
    [InlineData(600, 60)]
    [InlineData(1200, 120)]
    [InlineData(3000, 120)]
    [InlineData(3550, 50)]
    [InlineData(3599.5, 1)]
    public void NextWaitSeconds_ElapsedTime_ATenthClampedAndCutAtTheDeadline(double elapsedSeconds, int expected)
    {
        PollPolicy.NextWaitSeconds(TimeSpan.FromSeconds(elapsedSeconds), Options).Should().Be(expected);
    }

    [Fact]
    public void Schedule_FiveMinuteProvisioning_NoticedWithinATenthAndFewChecks()
    {
        var policy = new PollPolicy(_time);
        var state = PollState.Start(Start, Options);
        var ready = Start.AddMinutes(5);
        var waits = new List<int>();
        PollOutcome outcome;
        do
        {
            _time.Advance(TimeSpan.FromSeconds(state.NextWaitSeconds));
            var kind = _time.GetUtcNow() >= ready ? ProgressKind.Reached : ProgressKind.Pending;
            outcome = policy.Decide(state, Options, [new(A, kind), new(B, kind)], "ACTIVE");
            state = new PollState(outcome.Attempt, outcome.StartedAt, outcome.NextWaitSeconds);
            waits.Add(outcome.NextWaitSeconds);
        }
        while (outcome.Decision == PollDecision.Wait);

        outcome.Decision.Should().Be(PollDecision.Ready);
        waits.Should().Equal(18, 19, 21, 23, 26, 28, 0);
        (_time.GetUtcNow() - ready).Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(30), "within 10% of the 5 minutes");
        outcome.Attempt.Should().Be(7);
    }
}
