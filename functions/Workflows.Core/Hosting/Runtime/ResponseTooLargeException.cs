namespace Workflows.Core.Hosting.Runtime;

/// <summary>
/// A step's response is over Lambda's 6 MB limit. The bootstrap reports the invocation as failed with Lambda's
/// own error type for this, <see cref="LambdaRuntimeClient.ResponseTooLargeErrorType"/>, instead of posting a
/// response the Runtime API would refuse.
/// </summary>
public sealed class ResponseTooLargeException : Exception
{
    public ResponseTooLargeException()
        : base("The response is larger than Lambda allows.")
    {
    }

    public ResponseTooLargeException(string message)
        : base(message)
    {
    }

    public ResponseTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ResponseTooLargeException(long size, long limit)
        : base($"Response payload size ({size} bytes) exceeded maximum allowed payload size ({limit} bytes).")
    {
        Size = size;
    }

    public long Size { get; }
}
