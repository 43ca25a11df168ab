namespace Workflows.Core.Errors;

/// <summary>
/// The Lambda payload (or a request handed to the CLI) breaks a rule of the contract. Terminal: the state
/// machines catch it by this name and create nothing. The message always starts with the field at fault.
/// </summary>
public sealed class InvalidRequestException : Exception
{
    public InvalidRequestException()
        : this("input", "is not valid")
    {
    }

    public InvalidRequestException(string message)
        : this("input", message)
    {
    }

    public InvalidRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "input";
        Rule = message;
    }

    public InvalidRequestException(string field, string rule, Exception? innerException = null)
        : base($"{field}: {rule}", innerException)
    {
        Field = field;
        Rule = rule;
    }

    /// <summary>JSON path of the offending member without the leading <c>$.</c>, e.g. <c>polling.maxDelaySeconds</c>.</summary>
    public string Field { get; }

    /// <summary>The rule it broke, in words.</summary>
    public string Rule { get; }
}
