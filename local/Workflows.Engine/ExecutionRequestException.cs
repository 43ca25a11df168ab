namespace Workflows.Engine;

/// <summary>StartExecution refused before running, with the API's error code (InvalidName, InvalidExecutionInput...).</summary>
public sealed class ExecutionRequestException : Exception
{
    public ExecutionRequestException() : this("ValidationException", "Invalid request") { }

    public ExecutionRequestException(string message) : this("ValidationException", message) { }

    public ExecutionRequestException(string message, Exception innerException) : base(message, innerException) => Code = "ValidationException";

    public ExecutionRequestException(string code, string message) : base(message) => Code = code;

    public string Code { get; }
}
