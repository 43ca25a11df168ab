namespace Workflows.LambdaLocal;

/// <summary>No function of that name (ResourceNotFoundException in the Invoke API).</summary>
public sealed class LambdaFunctionNotFoundException : Exception
{
    public LambdaFunctionNotFoundException()
    {
    }

    public LambdaFunctionNotFoundException(string message)
        : base(message)
    {
    }

    public LambdaFunctionNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
