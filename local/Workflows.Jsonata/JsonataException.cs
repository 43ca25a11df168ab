namespace Workflows.Jsonata;

/// <summary>
/// A JSONata compile or evaluation error. Code is the reference implementation's error code (S0xxx syntax,
/// T0xxx/T1xxx/T2xxx type, D1xxx-D3xxx dynamic, U1001 runaway evaluation) so callers can compare behaviour;
/// the message is ours and names the position (character offset in the expression) where it is known.
/// </summary>
public sealed class JsonataException : Exception
{
    public JsonataException(string code, string message, int position = -1, string? token = null)
        : base(position >= 0 ? $"{code} at position {position}: {message}" : $"{code}: {message}")
    {
        Code = code;
        Position = position;
        Token = token;
    }

    public JsonataException()
        : this("U0000", "unknown JSONata error")
    {
    }

    public JsonataException(string message)
        : this("U0000", message)
    {
    }

    public JsonataException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "U0000";
        Position = -1;
    }

    /// <summary>The reference implementation's error code, e.g. "T2001".</summary>
    public string Code { get; }

    /// <summary>Character offset in the expression, or -1.</summary>
    public int Position { get; }

    /// <summary>The token or name involved, where there is one.</summary>
    public string? Token { get; }

    /// <summary>The value involved (used by $error and $assert), already converted to JSON text.</summary>
    public string? Value { get; init; }
}
