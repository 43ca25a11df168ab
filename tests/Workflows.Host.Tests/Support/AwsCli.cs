using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Workflows.Host.Tests.Support;

/// <summary>Runs the AWS CLI (Debian's awscli, or any `aws` on PATH) against a local endpoint with fixed keys.</summary>
internal sealed class AwsCli(Uri endpoint, string accessKeyId, string secretAccessKey, string? path = null)
{
    /// <summary>Debian's /usr/bin/aws first, then any other `aws` on PATH.</summary>
    private static readonly string[] Candidates = [.. (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Select(d => System.IO.Path.Combine(d, "aws"))
        .Prepend("/usr/bin/aws")
        .Where(File.Exists)
        .Distinct(StringComparer.Ordinal)];

    public static string? Path { get; } = Candidates.FirstOrDefault();

    public static string SkipReason => "the AWS CLI (aws) is not installed: apt-get install awscli to run the real-client tests";

    /// <summary>
    /// The first installed CLI whose stepfunctions commands include <paramref name="command"/> (Debian 12's awscli
    /// 2.9 predates redrive-execution, added to the CLI in late 2023), or null.
    /// </summary>
    public static string? Supporting(string command, string service = "stepfunctions") => Candidates.FirstOrDefault(candidate =>
    {
        var start = new ProcessStartInfo(candidate) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { service, command, "help" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["AWS_PAGER"] = string.Empty;
        start.Environment["PAGER"] = "cat";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process.WaitForExit(TimeSpan.FromSeconds(60)) && process.ExitCode == 0;
    });

    /// <summary>`aws stepfunctions ARGS --endpoint-url ...`; the JSON it printed (empty object for no output).</summary>
    public Task<JsonObject> StepFunctionsAsync(params string[] args) => RunAsync("stepfunctions", args);

    /// <summary>`aws events ARGS --endpoint-url ...`.</summary>
    public Task<JsonObject> EventsAsync(params string[] args) => RunAsync("events", args);

    /// <summary>`aws dsql ARGS --endpoint-url ...`.</summary>
    public Task<JsonObject> DsqlAsync(params string[] args) => RunAsync("dsql", args);

    /// <summary>`aws lambda ARGS --endpoint-url ...`.</summary>
    public Task<JsonObject> LambdaAsync(params string[] args) => RunAsync("lambda", args);

    private async Task<JsonObject> RunAsync(string service, string[] args)
    {
        var (code, stdout, stderr) = await TryAsync(service, args);
        code.Should().Be(0, $"aws {service} {string.Join(' ', args)} failed: {stderr}");
        return stdout.Trim().Length == 0 ? [] : (JsonNode.Parse(stdout) as JsonObject)!;
    }

    /// <summary>`aws SERVICE ARGS --endpoint-url ...` that may fail: its exit code, stdout and stderr.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> TryAsync(string service, params string[] args)
    {
        var start = new ProcessStartInfo(path ?? Path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(service);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.ArgumentList.Add("--endpoint-url");
        start.ArgumentList.Add(endpoint.ToString().TrimEnd('/'));
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add("json");
        start.Environment["AWS_ACCESS_KEY_ID"] = accessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secretAccessKey;
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_PAGER"] = string.Empty;
        // TestState's model has endpoint hostPrefix "sync-": without this botocore sends it to sync-127.0.0.1.
        start.Environment["AWS_DISABLE_HOST_PREFIX_INJECTION"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        return (process.ExitCode, await stdout, await stderr);
    }
}
