using System.Text;

namespace Workflows.LambdaLocal;

/// <summary>One invocation from the moment it is queued for an instance until something completes it (exactly once).</summary>
internal sealed class PendingInvocation(string requestId, byte[] payload, string functionArn, string traceId, string? clientContext, string? cognitoIdentity)
{
    private readonly TaskCompletionSource<InvocationResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _log = new();
    private readonly Lock _logGate = new();

    public string RequestId { get; } = requestId;

    public byte[] Payload { get; } = payload;

    public string FunctionArn { get; } = functionArn;

    public string TraceId { get; } = traceId;

    public string? ClientContext { get; } = clientContext;

    public string? CognitoIdentity { get; } = cognitoIdentity;

    /// <summary>When /next handed it to the runtime (the invocation's timeout runs from here).</summary>
    public long? DeliveredTimestamp { get; set; }

    public Task<InvocationResult> Completion => _completion.Task;

    public bool IsCompleted => _completion.Task.IsCompleted;

    public void AppendLog(string line)
    {
        lock (_logGate)
        {
            _log.Append(line).Append('\n');
        }
    }

    public string Log()
    {
        lock (_logGate)
        {
            return _log.ToString();
        }
    }

    public bool TryComplete(byte[] payload, string? errorType) =>
        _completion.TrySetResult(new InvocationResult(RequestId, payload, errorType is null ? null : "Unhandled", errorType, Log()));
}
