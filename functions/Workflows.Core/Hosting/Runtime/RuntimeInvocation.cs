namespace Workflows.Core.Hosting.Runtime;

/// <summary>One event handed out by <c>GET /runtime/invocation/next</c>: its context headers and its payload.</summary>
public sealed record RuntimeInvocation(InvocationContext Context, byte[] Payload)
{
    /// <summary>Lambda-Runtime-Aws-Request-Id: every answer about this invocation names it.</summary>
    public string RequestId => Context.RequestId!;
}
