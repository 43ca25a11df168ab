namespace Workflows.Core.Hosting;

/// <summary>
/// What the Lambda Runtime API says about one invocation (the Lambda-Runtime-* headers of
/// <c>GET /runtime/invocation/next</c>). A local host that calls a step in-process passes what it knows, or
/// <see cref="None"/>.
/// </summary>
/// <param name="RequestId">Lambda-Runtime-Aws-Request-Id.</param>
/// <param name="Deadline">Lambda-Runtime-Deadline-Ms: when Lambda will stop the invocation.</param>
/// <param name="InvokedFunctionArn">Lambda-Runtime-Invoked-Function-Arn.</param>
/// <param name="TraceId">Lambda-Runtime-Trace-Id (also put into <c>_X_AMZN_TRACE_ID</c>).</param>
public sealed record InvocationContext(string? RequestId, DateTimeOffset? Deadline, string? InvokedFunctionArn, string? TraceId)
{
    public static InvocationContext None { get; } = new(null, null, null, null);
}
