using System.Diagnostics;

namespace Workflows.EndToEnd.Tests.Support;

/// <summary>
/// The arm64 artifacts exactly as `sam build` makes them (tests/lambda-artifacts/run.sh, into artifacts/sam-build, or
/// WORKFLOWS_ARM64_ARTIFACTS), built here with the same Makefile target when missing, and the qemu-user launcher
/// that runs them on an x86_64 machine: Debian's qemu-user-static with the arm64 cross libc, no .NET, no ICU.
/// </summary>
public sealed class Arm64Artifacts
{
    public const string Qemu = "/usr/bin/qemu-aarch64-static";
    public const string Sysroot = "/usr/aarch64-linux-gnu";

    public Arm64Artifacts()
    {
        Directory = Environment.GetEnvironmentVariable("WORKFLOWS_ARM64_ARTIFACTS") is { Length: > 0 } given
            ? Path.GetFullPath(given)
            : Path.Combine(ToolProcess.RepositoryRoot(), "artifacts", "sam-build");
    }

    public string Directory { get; }

    /// <summary>Why the arm64 tests cannot run here, or null.</summary>
    public static string? Missing =>
        File.Exists(Qemu) && System.IO.Directory.Exists(Sysroot) ? null : $"{Qemu} or {Sysroot} is not installed (apt-get install qemu-user-static libc6-arm64-cross); tests/run-all.sh installs them";

    /// <summary>The artifact folder of <paramref name="logicalId"/>, built as SAM builds it when absent.</summary>
    public string Function(string logicalId)
    {
        var dir = Path.Combine(Directory, logicalId);
        if (File.Exists(Path.Combine(dir, "bootstrap")))
        {
            return dir;
        }

        var root = ToolProcess.RepositoryRoot();
        var step = logicalId[..^"Function".Length];
        var make = new ProcessStartInfo("make") { WorkingDirectory = Path.Combine(root, "functions", step), UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        make.ArgumentList.Add("--makefile");
        make.ArgumentList.Add(Path.Combine(root, "functions", "Makefile"));
        make.ArgumentList.Add($"build-{logicalId}");
        make.Environment["ARTIFACTS_DIR"] = dir;
        using var process = Process.Start(make)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return process.ExitCode == 0 ? dir : throw new InvalidOperationException($"make build-{logicalId} failed:\n{stdout.Result}\n{stderr.Result}");
    }
}

/// <summary>A fact that runs only where qemu-user and the arm64 libc are installed (CI installs them).</summary>
public sealed class Arm64FactAttribute : FactAttribute
{
    public Arm64FactAttribute()
    {
        if (Arm64Artifacts.Missing is { } why)
        {
            Skip = why;
        }
    }
}
