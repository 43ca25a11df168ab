using System.Collections.Concurrent;

namespace Workflows.LambdaLocal.Tests.Support;

/// <summary>The Python test runtime (Fixtures/runtime/bootstrap) in an artifact directory of its own, made executable.</summary>
internal static class TestRuntime
{
    private static readonly Lazy<string> Directory = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "lambdalocal-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        var target = Path.Combine(dir, "bootstrap");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Fixtures", "runtime", "bootstrap"), target);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        return dir;
    });

    public static string ArtifactDirectory => Directory.Value;

    public static LambdaFunction Function(string name = "Echo", IReadOnlyDictionary<string, string>? environment = null) => new()
    {
        Name = name,
        ArtifactDirectory = ArtifactDirectory,
        Environment = environment ?? new Dictionary<string, string> { ["CUSTOM"] = "yes" },
        TimeoutSeconds = 10,
        MemorySizeMb = 256,
    };

    public static LambdaLocalOptions Options(ConcurrentQueue<LambdaLogLine>? logs = null) => new()
    {
        Credentials = new LambdaCredentials("AKIDTEST", "secret", "token"),
        LogSink = logs is null ? null : logs.Enqueue,
        ShutdownGracePeriod = TimeSpan.FromSeconds(1),
    };

    public static bool ProcessExists(int pid) => System.IO.Directory.Exists($"/proc/{pid}");

    /// <summary>Waits for a condition by polling, never for a fixed time.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string because, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"condition not met within {timeoutMs} ms: {because}");
            }

            await Task.Delay(20);
        }
    }
}
