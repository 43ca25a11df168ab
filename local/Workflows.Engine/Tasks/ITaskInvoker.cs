using System.Text.Json.Nodes;

namespace Workflows.Engine.Tasks;

/// <summary>
/// The seam between the engine and whatever performs a Task state's work. An invoker returns the task's result
/// or throws <see cref="Errors.TaskError"/> (Error, Cause) for a failure that Retry and Catch can see.
/// </summary>
public interface ITaskInvoker
{
    /// <summary>Whether this invoker performs <paramref name="resource"/> (the Task state's Resource, substitutions applied).</summary>
    bool CanInvoke(string resource);

    Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken);

    /// <summary>
    /// Whether invocations of <paramref name="resource"/> run on the calling (execution) thread, do no real I/O and
    /// wait only on <see cref="TaskInvocation.Clock"/>. If so, the engine lets virtual time move while they are in
    /// flight, so they may wait on the clock directly. Otherwise (the default) an invocation holds virtual time
    /// still until it ends, because real work could still schedule earlier events; it waits with
    /// <see cref="TaskInvocation.DelayAsync"/>.
    /// </summary>
    bool RunsInline(string resource) => false;
}
