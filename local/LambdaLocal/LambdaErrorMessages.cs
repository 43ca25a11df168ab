namespace Workflows.LambdaLocal;

/// <summary>
/// The error documents Lambda itself writes when the runtime cannot answer (timeouts, exits, oversized responses).
/// Each is configurable because where no source states the exact text the default is inferred (marked below).
/// Placeholders: {RequestId}, {Seconds} (F2), {Status} (e.g. "exit status 3", "signal: killed"), {Path}, {Size}.
/// </summary>
public sealed record LambdaErrorMessages
{
    /// <summary>
    /// Sandbox.Timedout: the error type in AppSync's report of a Lambda timeout (aws/aws-appsync-community#386, which
    /// links docs troubleshooting-invocation.html#troubleshooting-timeouts); "Task timed out after 3.07 seconds" with the
    /// elapsed time to two decimals (alexa-samples/skill-sample-nodejs-smarthome-switch#18, awslabs/aws-lambda-redshift-loader#80).
    /// The "RequestId: … Error: " prefix is Inferred from Lambda's other runtime errors below.
    /// </summary>
    public string TimeoutErrorType { get; init; } = "Sandbox.Timedout";

    public string TimeoutMessage { get; init; } = "RequestId: {RequestId} Error: Task timed out after {Seconds} seconds";

    /// <summary>
    /// Runtime.ExitError, "Runtime exited with error: exit status 127" (tech-reader.blog "The runtime failed to start",
    /// praetorian-inc/chariot-ui#166 "Runtime exited with error: signal: killed"); the same for an exit before /next.
    /// </summary>
    public string ExitErrorType { get; init; } = "Runtime.ExitError";

    public string ExitMessage { get; init; } = "RequestId: {RequestId} Error: Runtime exited with error: {Status}";

    /// <summary>
    /// Runtime.InvalidEntrypoint, "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]" and
    /// "fork/exec /var/task/bootstrap: permission denied" (aws/aws-lambda-dotnet#1671, awslabs/aws-lambda-dart-runtime#20).
    /// </summary>
    public string InvalidEntrypointErrorType { get; init; } = "Runtime.InvalidEntrypoint";

    public string MissingBootstrapMessage { get; init; } = "RequestId: {RequestId} Error: Couldn't find valid bootstrap(s): [{Path}]";

    public string NotExecutableMessage { get; init; } = "RequestId: {RequestId} Error: fork/exec {Path}: permission denied";

    /// <summary>
    /// Function.ResponseSizeTooLarge, "Response payload size (9706999 bytes) exceeded maximum allowed payload size
    /// (6291556 bytes)." (umihico/pythonista-chromeless#11; DataBiosphere/azul#7466 shows the form without the size).
    /// </summary>
    public string ResponseTooLargeErrorType { get; init; } = "Function.ResponseSizeTooLarge";

    public string ResponseTooLargeMessage { get; init; } = "Response payload size ({Size} bytes) exceeded maximum allowed payload size (6291556 bytes).";

    /// <summary>
    /// Runtime.OutOfMemory when the process outgrows MemorySize. Inferred: no source found here states the type; the
    /// message is what the kill looks like to Lambda's init (a SIGKILL), as in the exit error above.
    /// </summary>
    public string OutOfMemoryErrorType { get; init; } = "Runtime.OutOfMemory";

    public string OutOfMemoryMessage { get; init; } = "RequestId: {RequestId} Error: Runtime exited with error: signal: killed";

    /// <summary>
    /// An /init/error or /invocation/error whose body has no errorType and no Lambda-Runtime-Function-Error-Type
    /// header. Inferred: the Runtime API's OpenAPI note says Lambda falls back to the header; with neither we name it
    /// as Step Functions does an error without a type (FACTS.md "Lambda.Unknown").
    /// </summary>
    public string UnknownErrorType { get; init; } = "Runtime.Unknown";

    internal static string Format(string template, string requestId, double seconds = 0, string status = "", string path = "", long size = 0) =>
        template
            .Replace("{RequestId}", requestId, StringComparison.Ordinal)
            .Replace("{Seconds}", seconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{Status}", status, StringComparison.Ordinal)
            .Replace("{Path}", path, StringComparison.Ordinal)
            .Replace("{Size}", size.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
