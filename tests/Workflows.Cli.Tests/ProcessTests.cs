using System.Diagnostics;
using System.Text.Json;
using Workflows.Cli.Tests.Support;

namespace Workflows.Cli.Tests;

/// <summary>The real entry point, in a real process: Main's wiring, the runtime config and the exit code.</summary>
public class ProcessTests
{
    [Fact]
    public async Task WorkflowsDll_RunJson_PrintsOneObjectAndExitsWithTheRunsCode()
    {
        using var cli = new CliRun();
        var dll = Path.Combine(AppContext.BaseDirectory, "workflows.dll");
        File.Exists(dll).Should().BeTrue("the test project references the CLI, which copies workflows.dll beside the tests");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = cli.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "run", CliRun.Fixture("fail.asl.json"), "--name", "process-1", "--json" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("WORKFLOWS_HOME");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        // stderr carries only the progress ("[virtual time] State (Type)" lines); stdout is the JSON alone.
        (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().OnlyContain(l => l.StartsWith('['));
        process.ExitCode.Should().Be(1, "the Fail state fails the execution");
        using var json = JsonDocument.Parse(await stdout);
        json.RootElement.GetProperty("status").GetString().Should().Be("FAILED");
        json.RootElement.GetProperty("name").GetString().Should().Be("process-1");
        File.Exists(Path.Combine(cli.WorkingDirectory, ".workflows", "last-run.json")).Should().BeTrue();
    }

    [Fact]
    public async Task WorkflowsDll_SigintDuringRealTimeWait_SavesAbortedHistoryAndExits130()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // SIGINT is sent with kill(1)
        }

        using var cli = new CliRun();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = cli.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "workflows.dll"), "run", CliRun.Fixture("wait-a-year.asl.json"), "--real-time", "--name", "sigint-1" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("WORKFLOWS_HOME");
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        // Plain progress prints a line per state entered: once the Wait is entered, the run is waiting in real time.
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync()) is not null && !line.Contains("(Wait)", StringComparison.Ordinal))
        {
        }

        line.Should().NotBeNull("the run reaches its Wait state");
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var rest = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        process.ExitCode.Should().Be(130, $"stdout: {rest}\nstderr: {await stderr}");
        (await stderr).Should().Contain("interrupted").And.NotContain("internal error");
        rest.Should().Contain("ABORTED");
        var saved = await File.ReadAllTextAsync(Path.Combine(cli.WorkingDirectory, ".workflows", "last-run.json"));
        saved.Should().Contain("ExecutionAborted");
    }
}
