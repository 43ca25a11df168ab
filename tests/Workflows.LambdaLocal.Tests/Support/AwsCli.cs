using System.Diagnostics;

namespace Workflows.LambdaLocal.Tests.Support;

/// <summary>Runs the real AWS CLI with dummy credentials and no config files of the machine's user.</summary>
internal static class AwsCli
{
    public static string? Executable { get; } = Find();

    private static string? Find()
    {
        if (File.Exists("/usr/bin/aws"))
        {
            return "/usr/bin/aws";
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, "aws");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Executable!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        var home = Path.Combine(Path.GetTempPath(), "awscli-home-" + Guid.NewGuid().ToString("N"));
        start.Environment["AWS_ACCESS_KEY_ID"] = "x";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "x";
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = Path.Combine(home, "config");
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home, "credentials");
        start.Environment["AWS_PAGER"] = string.Empty;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Version 2 reads --payload as base64 unless told otherwise; version 1 does not know the option.</summary>
    public static async Task<bool> IsVersion2Async()
    {
        var (_, stdout, stderr) = await RunAsync("--version");
        return (stdout + stderr).StartsWith("aws-cli/2", StringComparison.Ordinal);
    }
}
