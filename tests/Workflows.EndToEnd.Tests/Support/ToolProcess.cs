using System.Diagnostics;

namespace Workflows.EndToEnd.Tests.Support;

/// <summary>The tool as a separate process (workflows.dll, built beside the tests), as a user or a script runs it.</summary>
internal static class ToolProcess
{
    public static async Task<CliResult> RunAsync(string workingDirectory, IEnumerable<string> args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "workflows.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("WORKFLOWS_HOME");
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        // The suite's IAM mode reaches the tool as a process too (embedded runs only; see EndToEndIam).
        start.Environment["WORKFLOWS_IAM"] = EndToEndIam.Mode;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The repository root (where Workflows.sln is), found from the test's build output.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Workflows.sln not found above " + AppContext.BaseDirectory);
    }
}
