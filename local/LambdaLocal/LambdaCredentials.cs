namespace Workflows.LambdaLocal;

/// <summary>The execution role's credentials, handed to every process as Lambda does (AWS_ACCESS_KEY_ID ...).</summary>
public sealed record LambdaCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null);
