using System.Text.Json.Nodes;
using Workflows.Engine.Tasks;
using Workflows.EventBridge.Bus;

namespace Workflows.Host.Events;

/// <summary>
/// <c>arn:aws:states:::events:putEvents</c> for the served state machines: the engine's own
/// <see cref="LocalEventBus"/> validates the entries and answers as the integration does (a fresh one per call, so
/// exactly this call's events are known without a hook in the engine), then the events it accepted are put on the
/// local EventBridge's buses, where the request events arrive too, to be listed or tailed.
/// </summary>
public sealed class EngineEventForwarder(EventBridgeService service) : ITaskInvoker
{
    public bool CanInvoke(string resource) => resource == TaskResource.EventsPutEvents;

    public async Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var bus = new LocalEventBus();
        try
        {
            return await bus.InvokeAsync(invocation, cancellationToken);
        }
        finally
        {
            // A batch with a refused entry fails the task, yet its valid entries are delivered (as PutEvents does).
            if (bus.Events.Count > 0)
            {
                EngineEvents.Forward(service, bus.Events);
            }
        }
    }
}
