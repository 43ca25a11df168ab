namespace Workflows.Host.AwsJson;

/// <summary>
/// A refusal in the awsJson1_0 shape: <c>{"__type": Type, "message": Message}</c> with an HTTP status (400 for
/// every modelled client error).
/// </summary>
public sealed class AwsJsonException : Exception
{
    public AwsJsonException() : this("ValidationException", "Invalid request") { }

    public AwsJsonException(string message) : this("ValidationException", message) { }

    public AwsJsonException(string message, Exception innerException) : base(message, innerException) => Type = "ValidationException";

    public AwsJsonException(string type, string message, int status = 400) : base(message)
    {
        Type = type;
        Status = status;
    }

    /// <summary>The error shape's name in the service model (ExecutionDoesNotExist, InvalidArn...).</summary>
    public string Type { get; } = "ValidationException";

    public int Status { get; } = 400;
}
