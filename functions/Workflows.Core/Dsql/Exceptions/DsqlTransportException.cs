namespace Workflows.Core.Dsql.Exceptions;

/// <summary>
/// No answer from the service: connection refused or reset, DNS failure, or the per-request timeout ran out,
/// on every attempt. Retryable by the state machine, because the request may never have arrived.
/// </summary>
public sealed class DsqlTransportException : Exception
{
    public DsqlTransportException()
        : base("The DSQL endpoint could not be reached.")
    {
    }

    public DsqlTransportException(string message)
        : base(message)
    {
    }

    public DsqlTransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public bool IsTimeout => InnerException is TimeoutException;
}
