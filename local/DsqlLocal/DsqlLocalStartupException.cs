namespace DsqlLocal;

/// <summary>
/// The emulator could not start because an option does not work in this environment (an unwritable
/// --data-file, a --host that does not resolve, a --port already in use). The message is one line that
/// names the option.
/// </summary>
public sealed class DsqlLocalStartupException : Exception
{
    public DsqlLocalStartupException()
        : this("The emulator could not start.")
    {
    }

    public DsqlLocalStartupException(string message)
        : this(string.Empty, message, isUsageError: false, innerException: null)
    {
    }

    public DsqlLocalStartupException(string message, Exception innerException)
        : this(string.Empty, message, isUsageError: false, innerException)
    {
    }

    public DsqlLocalStartupException(string option, string message, bool isUsageError, Exception? innerException)
        : base(message.ReplaceLineEndings(" "), innerException)
    {
        Option = option;
        IsUsageError = isUsageError;
    }

    /// <summary>The option at fault, e.g. "--data-file".</summary>
    public string Option { get; }

    /// <summary>True when the option's value can never work (CLI exit code 2), false for a transient condition (1).</summary>
    public bool IsUsageError { get; }
}
