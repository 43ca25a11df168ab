namespace Workflows.Engine.Tasks;

/// <summary>
/// A function error that already has Lambda's final shape: thrown by a handler that stands for an out-of-process
/// function (one that ran in its own runtime and answered with an error document), so <see cref="LambdaTaskInvoker"/>
/// passes <see cref="ErrorType"/> and <see cref="Cause"/> to the state machine unchanged instead of naming the error
/// after this exception's own type, which is what it does for in-process handler exceptions.
/// </summary>
public sealed class LambdaFunctionErrorException : Exception
{
    public LambdaFunctionErrorException()
        : this("Lambda.Unknown", "{}")
    {
    }

    public LambdaFunctionErrorException(string message)
        : this("Lambda.Unknown", message)
    {
    }

    public LambdaFunctionErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorType = "Lambda.Unknown";
        Cause = message;
    }

    /// <param name="errorType">The state's Error: the error document's errorType (e.g. Sandbox.Timedout).</param>
    /// <param name="cause">The state's Cause: the error document as the function returned it (a JSON string).</param>
    public LambdaFunctionErrorException(string errorType, string cause)
        : base($"{errorType}: {cause}")
    {
        ArgumentException.ThrowIfNullOrEmpty(errorType);
        ArgumentNullException.ThrowIfNull(cause);
        ErrorType = errorType;
        Cause = cause;
    }

    public string ErrorType { get; }

    public string Cause { get; }
}
