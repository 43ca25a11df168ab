namespace DsqlLocal.Persistence;

/// <summary>
/// Replaces a file whole: the bytes go to a temporary sibling with a name no other writer uses, are flushed to disk,
/// and the temporary file is renamed over the target; then the directory is flushed so the rename itself survives a
/// power loss. A reader sees the old file or the new one, never half of either. Shared by DSQL Local's data file and
/// the workflows CLI's state directory.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="contents"/> to <paramref name="path"/> atomically; throws (leaving the old file) if it cannot.</summary>
    public static void Replace(string path, ReadOnlySpan<byte> contents)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        // The process id and a GUID: two processes (or two writers in one) never share a temporary file.
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);

            // Where the OS or file system cannot flush a directory (Windows, some network file systems) this is
            // skipped. A failure here is ignored: the new file is already in place, and reporting the write as
            // failed would make the caller believe the old contents are still there.
            try
            {
                DirectorySync.Flush(directory);
            }
            catch (IOException)
            {
                // Best effort, see above.
            }
        }
        finally
        {
            DeleteQuietly(temp);
        }
    }

    private static void DeleteQuietly(string temp)
    {
        try
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The write already failed or succeeded; a leftover temp file must not replace that outcome.
        }
    }
}
