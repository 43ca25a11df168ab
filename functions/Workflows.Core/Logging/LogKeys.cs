namespace Workflows.Core.Logging;

/// <summary>The keys of a log line (Powertools for AWS Lambda's names, plus the workflow's own).</summary>
public static class LogKeys
{
    public const string Level = "level";
    public const string Message = "message";
    public const string Timestamp = "timestamp";
    public const string Service = "service";
    public const string ColdStart = "cold_start";
    public const string FunctionName = "function_name";
    public const string FunctionMemorySize = "function_memory_size";
    public const string FunctionArn = "function_arn";
    public const string FunctionRequestId = "function_request_id";
    public const string XRayTraceId = "xray_trace_id";
    public const string Execution = "execution";
    public const string Step = "step";
    public const string Region = "region";
    public const string ClusterId = "cluster_id";
    public const string Exception = "exception";
    public const string Category = "name";
}
