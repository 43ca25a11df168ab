namespace Workflows.LambdaLocal;

/// <summary>Lambda's log levels, lowest first (LoggingConfig.ApplicationLogLevel / SystemLogLevel).</summary>
public enum LambdaLogLevel
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}
