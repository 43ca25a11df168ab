using Spectre.Console;
using Workflows.Cli.Pairs;
using Workflows.Engine;
using Workflows.Engine.History;

namespace Workflows.Cli.Output;

/// <summary>
/// Shows an execution while it runs. The engine reports each history event on its own thread
/// (<see cref="OnEvent"/>); <see cref="TrackAsync"/> runs on the caller's and returns when the execution ends.
/// </summary>
internal abstract class RunProgress
{
    /// <summary>Table: on stdout (live on a terminal). Json and text: plain lines on stderr, so stdout is the result alone.</summary>
    public static RunProgress Create(CliContext context, OutputFormat format) =>
        format != OutputFormat.Table ? new PlainProgress(context.Error)
        : context.Host.IsTerminal ? new LiveProgress(Consoles.Create(context.Out, isTerminal: true))
        : new PlainProgress(context.Out);

    public abstract void OnEvent(HistoryEvent e);

    /// <summary>Clusters whose status a step just reported differently (provision and teardown).</summary>
    public virtual void OnClusters(IReadOnlyList<ClusterLine> changed)
    {
    }

    protected static string Describe(ClusterLine c) => $"  {c.Region} {c.Identifier}: {c.Status}";

    public virtual Task<ExecutionResult> TrackAsync(Task<ExecutionResult> run, TimeProvider clock, Func<TimeSpan> wallElapsed) => run;

    /// <summary>The events a person follows: states entered, and task attempts that failed (retries show up).</summary>
    protected static string? Describe(HistoryEvent e) =>
        e.Type.EndsWith("StateEntered", StringComparison.Ordinal) ? $"{e.StateName} ({e.Type[..^"StateEntered".Length]})"
        : e.Type is HistoryEventType.TaskFailed or HistoryEventType.LambdaFunctionFailed or HistoryEventType.TaskTimedOut or HistoryEventType.LambdaFunctionTimedOut
            ? $"  {e.Type}: {e.Error}"
        : null;

    /// <summary>One line per step, for logs and pipes.</summary>
    private sealed class PlainProgress(TextWriter output) : RunProgress
    {
        private readonly Lock _gate = new();
        private DateTimeOffset _last;

        public override void OnClusters(IReadOnlyList<ClusterLine> changed)
        {
            lock (_gate)
            {
                foreach (var c in changed)
                {
                    output.WriteLine($"[{Formats.Timestamp(_last)}] {Describe(c)}");
                }
            }
        }

        public override void OnEvent(HistoryEvent e)
        {
            lock (_gate)
            {
                _last = e.Timestamp;
                if (Describe(e) is { } line)
                {
                    output.WriteLine($"[{Formats.Timestamp(e.Timestamp)}] {line}");
                }
            }
        }
    }

    /// <summary>A spinner naming the current state with virtual and wall time; finished steps scroll above it.</summary>
    private sealed class LiveProgress(IAnsiConsole console) : RunProgress
    {
        private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(100);
        private readonly System.Collections.Concurrent.ConcurrentQueue<(DateTimeOffset At, string Line)> _pending = new();
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _clusters = new(StringComparer.Ordinal);
        private volatile string _state = "starting";
        private DateTimeOffset _last;

        public override void OnClusters(IReadOnlyList<ClusterLine> changed)
        {
            foreach (var c in changed)
            {
                _clusters[c.Region] = c.Status;
                _pending.Enqueue((_last, Describe(c)));
            }
        }

        public override void OnEvent(HistoryEvent e)
        {
            if (e.Type.EndsWith("StateEntered", StringComparison.Ordinal) && e.StateName is { } name)
            {
                _state = name;
            }

            _last = e.Timestamp;
            if (Describe(e) is { } line)
            {
                _pending.Enqueue((e.Timestamp, line));
            }
        }

        public override async Task<ExecutionResult> TrackAsync(Task<ExecutionResult> run, TimeProvider clock, Func<TimeSpan> wallElapsed)
        {
            await console.Status().StartAsync("starting", async status =>
            {
                while (!run.IsCompleted)
                {
                    Drain();
                    var wall = wallElapsed();
                    var clusters = string.Concat(_clusters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $" · {c.Key} {c.Value}"));
                    status.Status(Markup.Escape($"{_state} · virtual {Formats.Timestamp(clock.GetUtcNow())} · wall {Formats.Seconds(wall)}{clusters}"));
                    await Task.WhenAny(run, Task.Delay(Refresh, TimeProvider.System));
                }
            });
            Drain();
            return await run;
        }

        private void Drain()
        {
            while (_pending.TryDequeue(out var item))
            {
                console.MarkupLine($"[grey]{Formats.Timestamp(item.At)}[/] {Markup.Escape(item.Line)}");
            }
        }
    }
}
