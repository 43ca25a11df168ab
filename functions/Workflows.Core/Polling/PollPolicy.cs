using Workflows.Core.Requests;

namespace Workflows.Core.Polling;

/// <summary>
/// Decides what a poll loop does after one check. The waiting itself belongs to the state machine (a Wait
/// state reads <c>nextWaitSeconds</c>); this only decides, so a Lambda never sleeps.
/// </summary>
/// <remarks>
/// The wait grows with the time already spent (a tenth of it, clamped to the options' bounds): whatever the
/// provisioning takes, the loop notices the end within about 10% of that time, and a long provisioning costs
/// few transitions. The initial delay skips the checks that could only say "not yet".
/// </remarks>
public sealed class PollPolicy
{
    private readonly TimeProvider _time;

    public PollPolicy(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <param name="previous">The state the loop carried in; null for a one-off look (starts now, attempt 0).</param>
    /// <param name="goal">What the loop waits for, in words for the reasons (e.g. "ACTIVE", "gone").</param>
    /// <param name="checkedAt">
    /// When the state machine entered the check (<c>$$.State.EnteredTime</c>): the clock the Wait states between
    /// checks run on, so elapsed time and the deadline are measured on one clock. Null: this function's clock.
    /// </param>
    public PollOutcome Decide(PollState? previous, PollingOptions options, IReadOnlyList<ClusterProgress> progress, string goal, DateTimeOffset? checkedAt = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var now = checkedAt ?? _time.GetUtcNow();
        var startedAt = previous?.StartedAt ?? now;
        var attempt = (previous?.Attempt ?? 0) + 1;
        // A start in the future (another clock) counts as no time spent, never as negative time.
        var elapsed = now > startedAt ? now - startedAt : TimeSpan.Zero;

        if (progress.Count > 0 && progress.All(p => p.Kind == ProgressKind.Reached))
        {
            return new PollOutcome(PollDecision.Ready, null, attempt, startedAt, 0);
        }

        if (progress.FirstOrDefault(p => p.Kind == ProgressKind.Failed) is { } failed)
        {
            return new PollOutcome(PollDecision.Failed, failed.Reason ?? $"cluster {failed.Cluster} cannot become {goal}", attempt, startedAt, 0);
        }

        var pending = string.Join(", ", progress.Where(p => p.Kind == ProgressKind.Pending).Select(p => p.Cluster.ToString()));
        if (attempt >= options.MaxAttempts)
        {
            return new PollOutcome(
                PollDecision.DeadlineExceeded,
                $"gave up after {attempt} checks (maxAttempts {options.MaxAttempts}): not {goal} yet: {pending}",
                attempt,
                startedAt,
                0);
        }

        if (elapsed >= TimeSpan.FromSeconds(options.DeadlineSeconds))
        {
            return new PollOutcome(
                PollDecision.DeadlineExceeded,
                $"not {goal} within {options.DeadlineSeconds} s ({(long)elapsed.TotalSeconds} s since {startedAt:yyyy-MM-ddTHH:mm:ssZ}): {pending}",
                attempt,
                startedAt,
                0);
        }

        return new PollOutcome(PollDecision.Wait, null, attempt, startedAt, NextWaitSeconds(elapsed, options));
    }

    /// <summary>clamp(floor(0.1 × elapsed), min, max), cut so the next check does not land past the deadline, at least 1.</summary>
    public static int NextWaitSeconds(TimeSpan elapsed, PollingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tenth = (long)Math.Floor(Math.Max(0, elapsed.TotalSeconds) * 0.1);
        var wait = Math.Clamp(tenth, options.MinDelaySeconds, options.MaxDelaySeconds);
        var remaining = (long)Math.Floor(options.DeadlineSeconds - Math.Max(0, elapsed.TotalSeconds));
        return (int)Math.Max(1, Math.Min(wait, remaining));
    }
}
