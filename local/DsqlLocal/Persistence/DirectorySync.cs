using System.Runtime.InteropServices;

namespace DsqlLocal.Persistence;

/// <summary>
/// Flushes a directory's entries to disk. A rename is durable only once the directory holding it is flushed:
/// without this, a power loss right after a save can bring back the previous file (or none). POSIX only:
/// Windows cannot open a directory for flushing and makes MoveFileEx durable itself, so there it is a no-op.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY: enough to fsync a directory on Linux and macOS.

    /// <summary>True when the directory was flushed; false where the platform does not support it.</summary>
    /// <exception cref="IOException">The directory could not be opened or flushed.</exception>
    public static bool Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        int fd;
        try
        {
            fd = Native.Open(directory, ReadOnly);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }

        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Native.Fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();

                // EINVAL/ENOTSUP: this file system cannot flush a directory; nothing more can be done.
                if (errno is 22 or 95 or 45)
                {
                    return false;
                }

                throw new IOException($"Cannot flush directory {directory} (errno {errno}).");
            }

            return true;
        }
        finally
        {
            _ = Native.Close(fd);
        }
    }

    private static class Native
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int fd);
    }
}
