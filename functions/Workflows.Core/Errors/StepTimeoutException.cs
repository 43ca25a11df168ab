namespace Workflows.Core.Errors;

/// <summary>
/// A step ran out of its time budget (WORKFLOWS_STEP_BUDGET_SECONDS) and stopped on its own, before Lambda's
/// timeout could kill it. Retryable: the state machines' DSQL retrier names it, and every call a step makes
/// carries a clientToken or is a read, so running the step again is safe.
/// </summary>
public sealed class StepTimeoutException : Exception
{
    public StepTimeoutException()
        : base("The step did not finish within its time budget.")
    {
    }

    public StepTimeoutException(string message)
        : base(message)
    {
    }

    public StepTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public StepTimeoutException(string step, TimeSpan budget, Exception? innerException)
        : base(
            $"{step} did not finish within its budget of {budget.TotalSeconds:0.###} s (DSQL slow or unreachable) and stopped before the Lambda timeout; it is safe to run again.",
            innerException)
    {
        Step = step;
        Budget = budget;
    }

    public string? Step { get; }

    public TimeSpan? Budget { get; }
}
