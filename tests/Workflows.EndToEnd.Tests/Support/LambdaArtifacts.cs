using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Workflows.EndToEnd.Tests.Support;

/// <summary>
/// The functions built as they ship (self-contained bootstraps, functions/Makefile) for this machine's architecture:
/// the folder WORKFLOWS_LAMBDA_ARTIFACTS names, else artifacts/lambda/&lt;arch&gt; in the repository, built with make
/// first when it is missing (tests/run-all.sh builds it before the tests, so this is for a bare `dotnet test`).
/// </summary>
public sealed class LambdaArtifacts
{
    private static readonly string[] Functions = [.. Workflows.Core.Steps.StepCatalog.All.Select(s => s.Name + "Function")];

    public LambdaArtifacts()
    {
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64";
        Directory = Environment.GetEnvironmentVariable("WORKFLOWS_LAMBDA_ARTIFACTS") is { Length: > 0 } given
            ? Path.GetFullPath(given)
            : Path.Combine(ToolProcess.RepositoryRoot(), "artifacts", "lambda", arch);
        if (Functions.All(f => File.Exists(Path.Combine(Directory, f, "bootstrap"))))
        {
            return;
        }

        var make = new ProcessStartInfo("make") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-C", Path.Combine(ToolProcess.RepositoryRoot(), "functions"), $"ARCH={arch}", $"OUT={Directory}" })
        {
            make.ArgumentList.Add(arg);
        }

        using var process = Process.Start(make)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"make -C functions ARCH={arch} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        }
    }

    public string Directory { get; }
}
