using System.Text;

namespace Workflows.LambdaLocal;

/// <summary>
/// What the Invoke API answers: the payload (the function's response, or for a function error the error document),
/// X-Amz-Function-Error ("Unhandled" for every error, as current runtimes report them) and the invocation's log.
/// </summary>
public sealed class InvocationResult
{
    internal InvocationResult(string requestId, byte[] payload, string? functionError, string? errorType, string log)
    {
        RequestId = requestId;
        Payload = payload;
        FunctionError = functionError;
        ErrorType = errorType;
        Log = log;
    }

    public string RequestId { get; }

    /// <summary>The response body the Invoke API returns.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    public string PayloadText => Encoding.UTF8.GetString(Payload.Span);

    /// <summary>X-Amz-Function-Error: null on success, "Unhandled" for any function error.</summary>
    public string? FunctionError { get; }

    /// <summary>The error document's errorType (e.g. Runtime.ExitError), null on success.</summary>
    public string? ErrorType { get; }

    public bool IsError => FunctionError is not null;

    /// <summary>X-Amz-Executed-Version: one version per local function.</summary>
    public string ExecutedVersion { get; } = "$LATEST";

    /// <summary>The kept log lines of this invocation (platform lines included), newline-separated.</summary>
    public string Log { get; }

    /// <summary>X-Amz-Log-Result: base64 of the last 4 KB of <see cref="Log"/>, as with LogType Tail.</summary>
    public string LogTailBase64()
    {
        var bytes = Encoding.UTF8.GetBytes(Log);
        const int Max = 4096;
        return Convert.ToBase64String(bytes.Length <= Max ? bytes : bytes[^Max..]);
    }
}
