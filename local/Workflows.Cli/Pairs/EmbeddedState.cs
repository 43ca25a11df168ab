using System.Globalization;
using System.Text.Json.Nodes;

namespace Workflows.Cli.Pairs;

/// <summary>
/// The embedded emulator's files in the state directory: its data file, the virtual time it reached with the
/// simulated durations it used, and a lock so two commands never share the emulator at once.
/// </summary>
/// <remarks>
/// Each command runs its own emulator on its own virtual clock, and the clusters outlive it in the data file.
/// Their lifecycles are timestamps (created at, deleting since), so a clock that went back between two commands
/// would make a cluster younger than its own creation. The clock of the next command therefore starts at the
/// later of the wall clock and the virtual time the previous command stopped at: time never goes backwards, and
/// once the wall clock has caught up with the simulated minutes, virtual time simply follows it again. The
/// simulated durations are kept too: the emulator derives a status from timestamps and durations, so a teardown
/// must see the provisioning time the provision used unless told otherwise.
/// </remarks>
internal sealed class EmbeddedState : IDisposable
{
    public const string DataFileName = "dsql-local.json";
    public const string ClockFileName = "embedded.json";
    public const string LockFileName = "embedded.lock";

    private readonly FileStream _lock;

    private EmbeddedState(string directory, FileStream lockFile)
    {
        Directory = directory;
        _lock = lockFile;
    }

    public string Directory { get; }

    public string DataFile => Path.Combine(Directory, DataFileName);

    public string ClockFile => Path.Combine(Directory, ClockFileName);

    /// <exception cref="UsageException">The directory cannot be used, or another command holds it.</exception>
    public static EmbeddedState Open(string directory)
    {
        try
        {
            System.IO.Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, LockFileName);
            return new EmbeddedState(directory, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new UsageException($"--state-dir '{directory}' is in use by another workflows command (its embedded emulator holds {LockFileName}); wait for it or pick another --state-dir", e);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UsageException($"--state-dir '{directory}' cannot be used: {e.Message}", e);
        }
    }

    /// <summary>What the previous command left: where virtual time stopped and the simulated durations it used.</summary>
    /// <exception cref="UsageException">The file exists but is not one this tool wrote.</exception>
    public (DateTimeOffset? VirtualNow, int? ProvisioningSeconds, int? DeletionSeconds) ReadSaved()
    {
        if (!File.Exists(ClockFile))
        {
            return (null, null, null);
        }

        try
        {
            var o = JsonNode.Parse(File.ReadAllText(ClockFile)) as JsonObject;
            var saved = o?["virtualNow"]?.GetValue<string>();
            if (o is null || saved is null || !DateTimeOffset.TryParse(saved, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
            {
                throw new UsageException($"'{ClockFile}' is not a virtual clock saved by workflows (no virtualNow); delete it to start from the wall clock");
            }

            return (at, o["provisioningSeconds"]?.GetValue<int>(), o["deletionSeconds"]?.GetValue<int>());
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
        {
            throw new UsageException($"'{ClockFile}' is not a virtual clock saved by workflows ({e.Message}); delete it to start from the wall clock", e);
        }
    }

    /// <summary>What to tell a user whose emulator data file cannot be read, and how to recover.</summary>
    public static string CorruptDataFile(string path, Exception e) =>
        $"--state-dir: the embedded emulator's data file '{path}' cannot be read ({e.Message}). It holds the clusters " +
        $"of earlier provisions: restore it, or move it aside (forgetting those clusters) and run again";

    /// <summary>The later of <paramref name="wallNow"/> (whole milliseconds) and <paramref name="saved"/>: never backwards.</summary>
    public static DateTimeOffset StartTime(DateTimeOffset wallNow, DateTimeOffset? saved)
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(wallNow.ToUnixTimeMilliseconds());
        return saved is { } at && at > now ? at : now;
    }

    /// <summary>Records where virtual time stopped, to the tick, and the durations the emulator ran with (written
    /// beside and moved over, never half a file).</summary>
    public void Save(DateTimeOffset virtualNow, TimeSpan provisioning, TimeSpan deletion)
    {
        var document = new JsonObject
        {
            ["virtualNow"] = virtualNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            ["provisioningSeconds"] = (int)provisioning.TotalSeconds,
            ["deletionSeconds"] = (int)deletion.TotalSeconds,
        };
        using var held = Runs.StateFiles.Lock(Directory);
        Runs.StateFiles.WriteAtomically(ClockFile, document.ToJsonString() + "\n");
    }

    public void Dispose() => _lock.Dispose();
}
