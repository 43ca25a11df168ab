namespace Workflows.Core.Hosting;

/// <summary>An environment variable of the function has a value it cannot run with; the message names it.</summary>
public sealed class FunctionConfigurationException : Exception
{
    public FunctionConfigurationException()
        : base("The function's environment is not valid.")
    {
    }

    public FunctionConfigurationException(string message)
        : base(message)
    {
    }

    public FunctionConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FunctionConfigurationException(string variable, string message, Exception? innerException)
        : base($"{variable}: {message}", innerException)
    {
        Variable = variable;
    }

    public string? Variable { get; }
}
