using System.Text.Json.Nodes;
using Workflows.EventBridge.Api;
using Workflows.EventBridge.Bus;
using Workflows.Host.AwsJson;

namespace Workflows.Host.Events;

/// <summary>
/// The local EventBridge on the host's endpoint: X-Amz-Target <c>AWSEvents.*</c> (awsJson1_1), signed for the
/// "events" service, answered by <see cref="EventBridgeApi"/>. Its error answers keep their status and type.
/// </summary>
public sealed class EventBridgeJsonService(EventBridgeService service) : IAwsJsonService
{
    private readonly EventBridgeApi _api = new(service);

    public EventBridgeService Service { get; } = service;

    public string TargetPrefix => "AWSEvents";

    public string SigningName => "events";

    public string DisplayName => "EventBridge";

    public string ContentType => EventBridgeApi.ContentType;

    public Task<JsonObject> HandleAsync(string operation, JsonObject request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = _api.Handle(operation, request.ToJsonString());
        var body = JsonNode.Parse(answer.Body) as JsonObject ?? [];
        if (answer.StatusCode != 200)
        {
            throw new AwsJsonException(answer.ErrorType ?? "InternalException", body["message"]?.GetValue<string>() ?? answer.Body, answer.StatusCode);
        }

        return Task.FromResult(body);
    }
}
