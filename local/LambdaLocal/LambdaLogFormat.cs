namespace Workflows.LambdaLocal;

/// <summary>LoggingConfig.LogFormat of a function.</summary>
public enum LambdaLogFormat
{
    Text,
    Json,
}
