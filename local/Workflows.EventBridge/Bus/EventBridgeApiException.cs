namespace Workflows.EventBridge.Bus;

/// <summary>An error answer of the API: the AWS JSON protocol's <c>__type</c> and <c>message</c>, with its HTTP status.</summary>
public sealed class EventBridgeApiException : Exception
{
    public EventBridgeApiException()
        : this(500, "InternalException", "Internal error")
    {
    }

    public EventBridgeApiException(string message)
        : this(400, "ValidationException", message)
    {
    }

    public EventBridgeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = 400;
        ErrorType = "ValidationException";
    }

    public EventBridgeApiException(int statusCode, string errorType, string message)
        : base(message)
    {
        StatusCode = statusCode;
        ErrorType = errorType;
    }

    public int StatusCode { get; }

    public string ErrorType { get; }

    public static EventBridgeApiException Validation(string message) => new(400, "ValidationException", message);

    public static EventBridgeApiException NotFound(string message) => new(400, "ResourceNotFoundException", message);
}
