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
}
