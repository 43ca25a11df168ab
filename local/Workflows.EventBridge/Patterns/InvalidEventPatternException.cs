namespace Workflows.EventBridge.Patterns;

/// <summary>
/// A pattern EventBridge would refuse (its InvalidEventPatternException). The message keeps the service's opening,
/// "Event pattern is not valid. Reason: ...", and names the path inside the pattern and, when known, the rule.
/// </summary>
public sealed class InvalidEventPatternException : FormatException
{
    public InvalidEventPatternException()
        : this("Event pattern is not valid.")
    {
    }

    public InvalidEventPatternException(string message)
        : base(message)
    {
        Reason = message;
        Path = string.Empty;
    }

    public InvalidEventPatternException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
        Path = string.Empty;
    }

    internal InvalidEventPatternException(string reason, string path, string? ruleName, Exception? inner = null)
        : base(Compose(reason, path, ruleName), inner)
    {
        Reason = reason;
        Path = path;
        RuleName = ruleName;
    }

    /// <summary>What is wrong, without the path.</summary>
    public string Reason { get; }

    /// <summary>Where in the pattern, as dotted field names (e.g. <c>detail.c-count[0].numeric</c>); empty for the root.</summary>
    public string Path { get; }

    public string? RuleName { get; }

    private static string Compose(string reason, string path, string? ruleName)
    {
        var where = path.Length == 0 ? "the pattern's root" : $"\"{path}\"";
        var rule = ruleName is null ? string.Empty : $" (rule {ruleName})";
        return $"Event pattern is not valid. Reason: {reason} at {where}{rule}";
    }
}
