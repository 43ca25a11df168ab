using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Tasks;

namespace Workflows.Engine.Tests.Support;

/// <summary>
/// Performs <c>arn:aws:states:::test:*</c> resources with a scripted behaviour per call, and records each call's
/// virtual time, retry count and parameters.
/// </summary>
internal sealed class ScriptedInvoker(Func<int, TaskInvocation, Task<JsonNode?>> behaviour) : ITaskInvoker
{
    public const string Resource = "arn:aws:states:::test:run";

    public List<(DateTimeOffset At, int RetryCount, JsonNode? Parameters)> Calls { get; } = [];

    public static ScriptedInvoker Echo() => new((_, i) => Task.FromResult(i.Parameters?.DeepClone()));

    /// <summary>Throws <paramref name="error"/> on the listed call numbers (0-based), echoes otherwise.</summary>
    public static ScriptedInvoker FailOn(string error, params int[] calls) => new((n, i) =>
        calls.Contains(n) ? throw new TaskError(error, $"call {n} failed") : Task.FromResult(i.Parameters?.DeepClone()));

    public static ScriptedInvoker AlwaysFail(string error) => new((n, _) => throw new TaskError(error, $"call {n} failed"));

    public bool CanInvoke(string resource) => resource.StartsWith("arn:aws:states:::test:", StringComparison.Ordinal);

    public Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var n = Calls.Count;
        Calls.Add((invocation.Clock.GetUtcNow(), invocation.RetryCount, invocation.Parameters?.DeepClone()));
        return behaviour(n, invocation);
    }

    public IEnumerable<double> SecondsSinceFirstCall() => Calls.Select(c => (c.At - Calls[0].At).TotalSeconds);
}
