namespace Workflows.Engine;

/// <summary>The state machine's type, as CreateStateMachine's <c>type</c> names it.</summary>
public enum ExecutionType
{
    Standard,

    /// <summary>
    /// An Express machine, run as a synchronous execution: its ARN reads
    /// <c>arn:aws:states:{region}:{account}:express:{machine}:{name}:{id}</c> and its context object has no
    /// RedriveCount (Express executions cannot be redriven). Everything else runs as for Standard.
    /// </summary>
    Express,
}
