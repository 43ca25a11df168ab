using System.Text.Json.Nodes;
using Workflows.Engine.Errors;

namespace Workflows.Engine.Runtime;

/// <summary>
/// Runs N child fibers with at most <c>limit</c> at a time, keeping outputs in index order. The first failure
/// (unless <c>tolerate</c> accepts it) cancels the rest; their later events are dropped, as AWS aborts sibling branches and iterations.
/// </summary>
internal static class ConcurrentRunner
{
    public sealed record Outcome(IReadOnlyList<JsonNode?> Outputs, StatesException? Failure);

    public static async Task<Outcome> RunAllAsync(
        Fiber parent,
        int count,
        int limit,
        Func<Fiber, int, Task<JsonNode?>> body,
        Func<Fiber, int, StatesException, Task>? onFailure,
        Func<int, StatesException, bool>? tolerate = null)
    {
        using var siblings = CancellationTokenSource.CreateLinkedTokenSource(parent.Token);
        var outputs = new JsonNode?[count];
        StatesException? failure = null;
        var next = 0;

        // Everything runs on the execution's single scheduler thread, so the shared counters need no locks.
        async Task WorkerAsync()
        {
            while (next < count && failure is null && !siblings.IsCancellationRequested)
            {
                var index = next++;
                var child = parent.Child(siblings.Token);
                try
                {
                    outputs[index] = await body(child, index);
                }
                catch (StatesException e) when (!siblings.IsCancellationRequested)
                {
                    if (onFailure is not null)
                    {
                        await onFailure(child, index, e);
                    }

                    // A Distributed Map's tolerated failure leaves its siblings running.
                    if (tolerate is not null && tolerate(index, e))
                    {
                        continue;
                    }

                    failure ??= e;
                    siblings.Cancel(); // synchronously: callbacks must run on the scheduler thread, before it looks for idle time
                }
                catch (OperationCanceledException) when (siblings.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        var workers = Enumerable.Range(0, Math.Max(1, Math.Min(limit, count))).Select(_ => WorkerAsync()).ToList();
        await Task.WhenAll(workers);
        parent.Token.ThrowIfCancellationRequested();
        return new Outcome(outputs, failure);
    }
}
