using System.Text.Json.Nodes;

namespace Workflows.WebConsole.Graph;

/// <summary>
/// What happened to each state of an execution, read from its history (the API's event shape): a state is
/// succeeded when every entry exited without a failure, retried when an attempt failed and a later one succeeded,
/// caught when it exited through a Catch (its last attempt failed yet it exited), failed when it never exited after
/// a failure (or the execution or its Map/Parallel ended while it ran), in progress while an entry is open on a
/// running execution, not run otherwise. A state entered more than once (a polling loop, Map iterations) shows the
/// worst of its entries, an open one winning while the execution runs.
/// </summary>
public static class Outcomes
{
    public const string NotRun = "not-run";
    public const string InProgress = "in-progress";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Caught = "caught";
    public const string Retried = "retried";

    public static readonly IReadOnlyList<string> All = [NotRun, InProgress, Succeeded, Failed, Caught, Retried];

    private static readonly HashSet<string> FailureTypes = new(StringComparer.Ordinal)
    {
        "TaskFailed", "TaskTimedOut", "TaskStartFailed", "TaskSubmitFailed",
        "LambdaFunctionFailed", "LambdaFunctionTimedOut", "LambdaFunctionStartFailed", "LambdaFunctionScheduleFailed",
        "MapStateFailed", "ParallelStateFailed", "MapRunFailed", "ActivityFailed", "ActivityTimedOut",
    };

    private static readonly HashSet<string> SuccessTypes = new(StringComparer.Ordinal)
    {
        "TaskSucceeded", "LambdaFunctionSucceeded", "MapStateSucceeded", "ParallelStateSucceeded", "ActivitySucceeded",
    };

    private static readonly HashSet<string> ExecutionEnds = new(StringComparer.Ordinal)
    {
        "ExecutionSucceeded", "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted",
    };

    /// <summary>Every state of <paramref name="graph"/> with its outcome (states never entered: not-run).</summary>
    public static Dictionary<string, string> Compute(AslGraph graph, IEnumerable<JsonObject> events)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(events);
        var result = graph.States.ToDictionary(s => s.Name, _ => NotRun, StringComparer.Ordinal);
        var entryOf = new Dictionary<long, Entry>();
        var open = new List<Entry>();
        var cutShort = new List<Entry>();
        // Failures of an entry a redrive cut short count for the state's next entry: it failed, then was run again.
        var carried = new Dictionary<string, int>(StringComparer.Ordinal);

        void Record(string state, string outcome)
        {
            if (result.TryGetValue(state, out var before) && Rank(outcome) <= Rank(before))
            {
                return;
            }

            result[state] = outcome;
        }

        void Close(Entry entry, string outcome)
        {
            entry.Open = false;
            open.Remove(entry);
            Record(entry.State, outcome);
        }

        foreach (var e in events)
        {
            var type = e["type"]?.GetValue<string>() ?? string.Empty;
            var id = Number(e["id"]);
            var previous = Number(e["previousEventId"]);
            var parent = entryOf.GetValueOrDefault(previous);
            if (type.EndsWith("StateEntered", StringComparison.Ordinal) && StateName(e, "stateEnteredEventDetails") is { } entered)
            {
                var entry = new Entry(entered) { Failures = carried.Remove(entered, out var n) ? n : 0 };
                entryOf[id] = entry;
                open.Add(entry);
                continue;
            }

            if (type.EndsWith("StateExited", StringComparison.Ordinal) && StateName(e, "stateExitedEventDetails") is { } exited)
            {
                var entry = parent is { Open: true } p && p.State == exited ? p : open.LastOrDefault(x => x.State == exited);
                if (entry is not null)
                {
                    Close(entry, entry.Failures == 0 ? Succeeded : entry.LastFailed ? Caught : Retried);
                    if (graph.State(exited) is { IsGroup: true })
                    {
                        CloseInside(exited);
                    }
                }

                continue;
            }

            if (type == "ExecutionRedriven")
            {
                foreach (var entry in cutShort.Concat(open))
                {
                    carried[entry.State] = Math.Max(1, entry.Failures);
                }

                cutShort.Clear();
                open.Clear();
                continue;
            }

            if (ExecutionEnds.Contains(type))
            {
                // Kept aside: a redrive may run them again.
                cutShort.AddRange(open);
                open.Clear();
                continue;
            }

            if (parent is null)
            {
                continue;
            }

            entryOf[id] = parent;
            if (FailureTypes.Contains(type))
            {
                parent.Failures++;
                parent.LastFailed = true;
                if (type is "MapStateFailed" or "ParallelStateFailed")
                {
                    CloseInside(parent.State);
                }
            }
            else if (SuccessTypes.Contains(type))
            {
                parent.LastFailed = false;
            }
        }

        // Inferred: a state still running when the execution ended (a failure, a timeout, a stop) did not finish:
        // shown as failed, the history saying how the execution ended.
        foreach (var entry in cutShort)
        {
            Record(entry.State, Failed);
        }

        // Whatever is still open runs now (or ran when the history was read).
        foreach (var entry in open)
        {
            result[entry.State] = InProgress;
        }

        return result;

        // A Map or Parallel ended: anything inside it still open was stopped with it (a failed iteration or branch).
        void CloseInside(string group)
        {
            foreach (var entry in open.Where(x => graph.Ancestors(x.State).Contains(group, StringComparer.Ordinal)).ToList())
            {
                Close(entry, Failed);
            }
        }
    }

    private static int Rank(string outcome) => outcome switch
    {
        Failed => 5,
        Caught => 4,
        Retried => 3,
        Succeeded => 2,
        InProgress => 1,
        _ => 0,
    };

    private static string? StateName(JsonObject e, string member) => (e[member] as JsonObject)?["name"]?.GetValue<string>();

    private static long Number(JsonNode? node) =>
        node is JsonValue v ? (v.TryGetValue<long>(out var l) ? l : v.TryGetValue<int>(out var i) ? i : v.TryGetValue<double>(out var d) ? (long)d : 0) : 0;

    private sealed class Entry(string state)
    {
        public string State { get; } = state;

        public int Failures { get; set; }

        public bool LastFailed { get; set; }

        public bool Open { get; set; } = true;
    }
}
