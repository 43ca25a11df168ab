using System.Globalization;
using System.Text.Json.Nodes;
using Workflows.Engine.Tasks;

namespace Workflows.Application.Tests.Support;

/// <summary>
/// A hand-written DescribeCluster for the poll loop: both clusters turn ACTIVE at <paramref name="activeAt"/>, and the
/// decision and next wait follow the contract's poll rule (attempt + 1; READY when all ACTIVE; DEADLINE_EXCEEDED at
/// maxAttempts or past the deadline; else WAIT with clamp(floor(0.1 × elapsed), min, max), never past the deadline).
/// It answers on the engine's virtual clock, so the waits the state machine takes are the ones the rule gives.
/// </summary>
internal sealed class ContractPoller(DateTimeOffset activeAt) : ITaskInvoker
{
    public bool CanInvoke(string resource) => resource == TemplateBinder.FunctionArn("DescribeClusterFunction");

    public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var input = invocation.Parameters!.AsObject();
        var poll = input["poll"]!;
        var polling = input["polling"]!;
        var now = invocation.Clock.GetUtcNow();
        var startedAt = DateTimeOffset.Parse(poll["startedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var attempt = poll["attempt"]!.GetValue<int>() + 1;
        var elapsed = (int)(now - startedAt).TotalSeconds;
        var deadline = polling["deadlineSeconds"]!.GetValue<int>();
        var active = now >= activeAt;

        var decision = active ? "READY"
            : attempt >= polling["maxAttempts"]!.GetValue<int>() || elapsed >= deadline ? "DEADLINE_EXCEEDED"
            : "WAIT";
        var next = Math.Clamp(elapsed / 10, polling["minDelaySeconds"]!.GetValue<int>(), polling["maxDelaySeconds"]!.GetValue<int>());
        next = Math.Max(1, Math.Min(next, deadline - elapsed));

        var clusters = new JsonArray();
        foreach (var cluster in input["clusters"]!.AsArray())
        {
            var region = cluster!["region"]!.GetValue<string>();
            var id = cluster["identifier"]!.GetValue<string>();
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

        var result = new JsonObject
        {
            ["decision"] = decision,
            ["attempt"] = attempt,
            ["startedAt"] = poll["startedAt"]!.DeepClone(),
            ["nextWaitSeconds"] = next,
            ["clusters"] = clusters,
        };
        if (decision == "DEADLINE_EXCEEDED")
        {
            result["reason"] = $"not ACTIVE after {elapsed} s";
        }

        return Task.FromResult<JsonNode?>(result);
    }
}
