using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Workflows.EndToEnd.Tests.Support;
using Workflows.LambdaLocal;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// A shipped bootstrap (x64 build of the same project) as a process: what Lambda's service side sees of it, beyond
/// what the in-process protocol tests can show: concurrency, log filtering by ApplicationLogLevel, SIGTERM.
/// </summary>
public sealed class BootstrapProcessTests(LambdaArtifacts artifacts) : IClassFixture<LambdaArtifacts>
{
    private const string Valid = """{"request":{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2"}}""";
    private const string Invalid = """{"request":{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-east-2"}}""";

    private LambdaFunction Validate(LambdaLogLevel level = LambdaLogLevel.Info) => new()
    {
        Name = "ValidateProvisionRequestFunction",
        ArtifactDirectory = Path.Combine(artifacts.Directory, "ValidateProvisionRequestFunction"),
        TimeoutSeconds = 30,
        MemorySizeMb = 512,
        LogFormat = LambdaLogFormat.Json,
        ApplicationLogLevel = level,
    };

    [Fact]
    public async Task InvokeAsync_TwoAtOnce_TwoExecutionEnvironmentsBothAnswer()
    {
        await using var lambda = await LambdaService.StartAsync([Validate()]);

        var results = await Task.WhenAll(
            lambda.InvokeAsync("ValidateProvisionRequestFunction", Encoding.UTF8.GetBytes(Valid)),
            lambda.InvokeAsync("ValidateProvisionRequestFunction", Encoding.UTF8.GetBytes(Invalid)));

        results[0].IsError.Should().BeFalse(results[0].PayloadText);
        results[1].ErrorType.Should().Be("InvalidRequestException");
        lambda.StartedProcessIds.Should().HaveCount(2, "an environment runs one invocation at a time");
    }

    [Fact]
    public async Task InvokeAsync_ApplicationLogLevelError_TheErrorLineSurvivesAndTheInfoLineDoesNot()
    {
        var lines = new List<LambdaLogLine>();
        await using var lambda = await LambdaService.StartAsync([Validate(LambdaLogLevel.Error)], new LambdaLocalOptions { LogSink = l => { lock (lines) { lines.Add(l); } } });

        await lambda.InvokeAsync("ValidateProvisionRequestFunction", Encoding.UTF8.GetBytes(Valid));
        await lambda.InvokeAsync("ValidateProvisionRequestFunction", Encoding.UTF8.GetBytes(Invalid));

        lock (lines)
        {
            var app = lines.Where(l => l.Source == "stdout").Select(l => l.Text).ToList();
            app.Should().Contain(t => t.Contains("\"level\":\"ERROR\"", StringComparison.Ordinal) && t.Contains("InvalidRequestException", StringComparison.Ordinal));
            app.Should().NotContain(t => t.Contains("\"level\":\"INFO\"", StringComparison.Ordinal), "the valid request's INFO line is below ApplicationLogLevel");
        }
    }

    [Fact]
    public async Task Bootstrap_SigtermWhileWaitingForAnEvent_ExitsZero()
    {
        // A Runtime API that accepts the connection and never answers /next: the bootstrap is idle, long-polling.
        using var api = new TcpListener(IPAddress.Loopback, 0);
        api.Start();
        var port = ((IPEndPoint)api.LocalEndpoint).Port;
        var start = new ProcessStartInfo(Path.Combine(artifacts.Directory, "ValidateProvisionRequestFunction", "bootstrap"))
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = $"127.0.0.1:{port}";
        using var process = Process.Start(start)!;
        try
        {
            using var connection = await api.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(30));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            process.ExitCode.Should().Be(0, "SIGTERM is Lambda's shutdown signal: the loop ends cleanly");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}
