using System.Runtime.InteropServices;

namespace Workflows.LambdaLocal;

/// <summary>SIGTERM for a graceful shutdown: .NET's Process.Kill only sends SIGKILL.</summary>
internal static partial class ProcessSignals
{
    private const int SigTerm = 15;

    public static void Terminate(int pid)
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = Kill(pid, SigTerm);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
