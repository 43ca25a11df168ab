namespace Workflows.Cli;

/// <summary>
/// The DSQL endpoint did not answer, or refused the credentials, before anything was started; reported as one line
/// with exit code 1 (the service, not the command line, is what failed) and nothing created.
/// </summary>
public sealed class EndpointUnusableException : Exception
{
    public EndpointUnusableException()
    {
    }

    public EndpointUnusableException(string message)
        : base(message)
    {
    }

    public EndpointUnusableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
