using System.Globalization;
using System.Text.Json.Nodes;
using Workflows.Core.Polling;
using Workflows.Core.Requests;
using Workflows.Engine.Tasks;
using Workflows.Templates;

namespace Workflows.Application.Tests.Support;

/// <summary>
/// DescribeCluster for the poll loop with a scripted DSQL: both clusters are PENDING_SETUP until
/// <paramref name="activeAt"/> and ACTIVE from then on. The decision and the next wait come from the core's real
/// <see cref="PollPolicy"/> on the engine's virtual clock, so the waits the state machine takes are the product's.
/// </summary>
internal sealed class ScriptedProvisioning(DateTimeOffset activeAt) : ITaskInvoker
{
    public bool CanInvoke(string resource) => resource == TemplateBinder.FunctionArn("DescribeClusterFunction");

    public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var input = invocation.Parameters!.AsObject();
        var poll = input["poll"]!;
        var polling = input["polling"]!;
        var active = invocation.Clock.GetUtcNow() >= activeAt;

        var clusters = new JsonArray();
        var progress = new List<ClusterProgress>();
        foreach (var cluster in input["clusters"]!.AsArray())
        {
            var region = cluster!["region"]!.GetValue<string>();
            var id = cluster["identifier"]!.GetValue<string>();
            progress.Add(new ClusterProgress(new ClusterRef(region, id), active ? ProgressKind.Reached : ProgressKind.Pending));
            clusters.Add(new JsonObject
            {
                ["region"] = region,
                ["identifier"] = id,
                ["arn"] = cluster["arn"]!.DeepClone(),
                ["status"] = active ? "ACTIVE" : "PENDING_SETUP",
                ["endpoint"] = $"{id}.dsql.{region}.on.aws",
                ["witnessRegion"] = cluster["witnessRegion"]!.DeepClone(),
                ["linkedClusterArns"] = new JsonArray(),
                ["deletionProtectionEnabled"] = true,
            });
        }

        var previous = new PollState(
            poll["attempt"]!.GetValue<int>(),
            DateTimeOffset.Parse(poll["startedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            poll["nextWaitSeconds"]!.GetValue<int>());
        var options = new PollingOptions(
            polling["initialDelaySeconds"]!.GetValue<int>(),
            polling["minDelaySeconds"]!.GetValue<int>(),
            polling["maxDelaySeconds"]!.GetValue<int>(),
            polling["deadlineSeconds"]!.GetValue<int>(),
            polling["maxAttempts"]!.GetValue<int>());
        var outcome = new PollPolicy(invocation.Clock).Decide(previous, options, progress, "ACTIVE");

        var result = new JsonObject
        {
            ["decision"] = outcome.Decision,
            ["attempt"] = outcome.Attempt,
            ["startedAt"] = poll["startedAt"]!.DeepClone(),
            ["nextWaitSeconds"] = outcome.NextWaitSeconds,
            ["clusters"] = clusters,
        };
        if (outcome.Reason is { } reason)
        {
            result["reason"] = reason;
        }

        return Task.FromResult<JsonNode?>(result);
    }
}
