using System.Diagnostics;
using System.Globalization;

namespace Workflows.Cli;

/// <summary>
/// WORKFLOWS_TRACE_STARTUP=1: where a command's wall time goes, as "trace: +N ms  phase" lines on stderr at the end
/// (from the process start, as the OS recorded it, so the runtime's own start-up is the first line). Off, every
/// mark is one static bool read; the figures in the README's start-up section come from it.
/// </summary>
internal static class StartupTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("WORKFLOWS_TRACE_STARTUP") is "1" or "true";
    private static readonly List<(string Phase, long Timestamp)> Marks = [];

    public static void Mark(string phase)
    {
        if (!Enabled)
        {
            return;
        }

        lock (Marks)
        {
            Marks.Add((phase, Stopwatch.GetTimestamp()));
        }
    }

    /// <summary>Writes the marks to stderr (once, at exit).</summary>
    public static void Report(TextWriter error)
    {
        if (!Enabled)
        {
            return;
        }

        Mark("exit");
        // The process start as the OS saw it: the runtime's own start-up (host, assembly loading) before Main.
        var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        var sinceStart = DateTime.UtcNow - started;
        var now = Stopwatch.GetTimestamp();
        var previous = TimeSpan.Zero;
        lock (Marks)
        {
            foreach (var (phase, at) in Marks)
            {
                var t = sinceStart - Stopwatch.GetElapsedTime(at, now);
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trace: {t.TotalMilliseconds,7:0} ms  (+{(t - previous).TotalMilliseconds,5:0})  {phase}"));
                previous = t;
            }
        }
    }
}
