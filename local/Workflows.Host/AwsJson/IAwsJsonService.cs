using System.Text.Json.Nodes;

namespace Workflows.Host.AwsJson;

/// <summary>
/// One AWS service spoken in awsJson1_0/1_1 on the host's single endpoint: requests whose X-Amz-Target starts with
/// <see cref="TargetPrefix"/> and a dot come here, already SigV4-verified against <see cref="SigningName"/>. This is
/// the seam another service (EventBridge, "AWSEvents" / "events") mounts through.
/// </summary>
public interface IAwsJsonService
{
    /// <summary>The service model's targetPrefix, e.g. "AWSStepFunctions".</summary>
    string TargetPrefix { get; }

    /// <summary>The SigV4 signing name (the model's endpointPrefix), e.g. "states".</summary>
    string SigningName { get; }

    /// <summary>The one-line name printed for the endpoint, e.g. "Step Functions".</summary>
    string DisplayName { get; }

    /// <summary>The answers' content type: awsJson1_0 unless the service speaks 1_1 (EventBridge does).</summary>
    string ContentType => "application/x-amz-json-1.0";

    /// <summary>Runs <paramref name="operation"/>; throws <see cref="AwsJsonException"/> to refuse.</summary>
    Task<JsonObject> HandleAsync(string operation, JsonObject request, CancellationToken cancellationToken);
}
