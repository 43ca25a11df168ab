namespace Workflows.LambdaLocal;

/// <summary>Per-invocation context handed to the runtime in /next's headers.</summary>
/// <param name="ClientContext">Lambda-Runtime-Client-Context (the decoded X-Amz-Client-Context JSON).</param>
/// <param name="CognitoIdentity">Lambda-Runtime-Cognito-Identity.</param>
public sealed record InvokeOptions(string? ClientContext = null, string? CognitoIdentity = null);
