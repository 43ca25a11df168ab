namespace Workflows.LambdaLocal;

/// <summary>
/// One log line that survived Lambda's filtering: a line the process wrote to stdout or stderr, or a platform line
/// (START/END/REPORT, timeouts) the service wrote itself.
/// </summary>
/// <param name="Function">The function's name.</param>
/// <param name="InstanceId">Which process (execution environment) of the function.</param>
/// <param name="RequestId">The invocation in flight when the line arrived, else the last one the process was given (null before any).</param>
/// <param name="Source">"stdout", "stderr" or "platform".</param>
/// <param name="Level">The level the line was filtered at (INFO for anything without a recognised level).</param>
/// <param name="Text">The line as written, without its newline.</param>
/// <param name="Timestamp">When the service read it.</param>
public sealed record LambdaLogLine(string Function, string InstanceId, string? RequestId, string Source, LambdaLogLevel Level, string Text, DateTimeOffset Timestamp);
