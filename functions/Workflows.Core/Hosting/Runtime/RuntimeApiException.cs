namespace Workflows.Core.Hosting.Runtime;

/// <summary>
/// The Lambda Runtime API itself failed or answered what the protocol does not allow (not the function's error):
/// the bootstrap cannot go on and exits, and Lambda starts a new execution environment.
/// </summary>
public sealed class RuntimeApiException : Exception
{
    public RuntimeApiException()
        : base("The Lambda Runtime API failed.")
    {
    }

    public RuntimeApiException(string message)
        : base(message)
    {
    }

    public RuntimeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
