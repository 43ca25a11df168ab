namespace Workflows.Cli.Runs;

/// <summary>
/// Writes to the state directory: every file is written whole to a temporary file with a name no other process
/// uses, then moved over the old one, so a reader never sees half a file and two writers never share a temporary
/// file; read-modify-write sequences run under <see cref="Lock"/>, so two commands never drop each other's record.
/// </summary>
internal static class StateFiles
{
    public const string LockFileName = "state.lock";

    /// <summary>How long a command waits for another one to finish writing (Inferred: writes take milliseconds).</summary>
    public static readonly TimeSpan DefaultLockWait = TimeSpan.FromSeconds(10);

    /// <summary>Written whole and flushed to disk (DSQL Local's <see cref="DsqlLocal.Persistence.AtomicFile"/>): a power loss cannot leave last-run.json empty.</summary>
    public static void WriteAtomically(string path, string text) =>
        DsqlLocal.Persistence.AtomicFile.Replace(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Holds &lt;state dir&gt;/state.lock exclusively (FileShare.None) until disposed, waiting up to
    /// <paramref name="wait"/> for another command holding it.
    /// </summary>
    /// <exception cref="UsageException">Another command held the lock for the whole wait.</exception>
    public static IDisposable Lock(string directory, TimeSpan? wait = null, TimeProvider? time = null)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, LockFileName);
        time ??= TimeProvider.System;
        var limit = wait ?? DefaultLockWait;
        var started = time.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (time.GetElapsedTime(started) >= limit)
                {
                    throw new UsageException(
                        $"the state directory '{directory}' is locked by another workflows command ({path} held for more than {limit.TotalSeconds:0.#} s); " +
                        "wait for it to finish, or give another --state-dir", e);
                }
            }

            // Blocking wait on the given clock: a state write holds the lock for milliseconds.
            Task.Delay(pause, time).GetAwaiter().GetResult();
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 100));
        }
    }
}
