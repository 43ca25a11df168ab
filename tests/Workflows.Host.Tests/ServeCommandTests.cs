using System.Text.Json.Nodes;
using Workflows.Cli;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>`workflows serve` as a user runs it: options, the lines it prints, and stopping on cancellation.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "host-serve-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [Theory]
    [InlineData("--virtual-clock --time-scale 60", "--virtual-clock and --time-scale")]
    [InlineData("--virtual-clock --dsql-endpoint http://127.0.0.1:8787", "--virtual-clock needs the embedded emulator")]
    [InlineData("--time-scale 0", "--time-scale '0' must be a number above 0")]
    [InlineData("--port 70000", "--port '70000' must be a whole number from 0 to 65535")]
    [InlineData("--local-credentials", "--local-credentials goes with --dsql-endpoint")]
    public async Task Serve_ContradictoryOrBadOptions_ExitTwoNamingTheOption(string arguments, string expected)
    {
        var (code, _, error) = await RunAsync(["serve", .. arguments.Split(' '), "--state-dir", _stateDirectory], CancellationToken.None);

        code.Should().Be(2);
        error.Should().Contain(expected);
    }

    [Fact]
    public async Task Serve_Help_ShowsExamples()
    {
        var (code, output, _) = await RunAsync(["serve", "--help"], CancellationToken.None);

        code.Should().Be(0);
        output.Should().Contain("Examples:").And.Contain("workflows serve --time-scale 60").And.Contain("--virtual-clock");
    }

    [Fact]
    public async Task Serve_VirtualClockPortZero_PrintsEndpointsAndReadyThenStopsOnCancel()
    {
        using var stop = new CancellationTokenSource();
        var stdout = new LineSignal("Ready:");
        var run = global::Workflows.Cli.Program.RunAsync(["serve", "--virtual-clock", "--port", "0", "--state-dir", _stateDirectory, "--template", Path.Combine(Root(), "template.yaml")], stdout, new StringWriter(), new CliHost { WorkingDirectory = Root() }, stop.Token);
        await stdout.Seen.WaitAsync(TimeSpan.FromSeconds(60));
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var endpoint = new Uri(lines[0]["Step Functions: ".Length..].Trim());

        await using (var client = await ClientAsync(endpoint))
        {
            var listed = await client.CallAsync("ListStateMachines", []);
            listed["stateMachines"]!.AsArray().Should().HaveCount(3);
        }

        // The DSQL line is the embedded emulator's own listener (its admin health answers unsigned).
        var dsql = new Uri(lines[3]["DSQL: ".Length..].Trim());
        using (var http = new HttpClient())
        {
            ((int)(await http.GetAsync(new Uri(dsql, "_dsql-local/health"))).StatusCode).Should().Be(200);
        }

        await stop.CancelAsync();
        var code = await run.WaitAsync(TimeSpan.FromSeconds(60));

        lines[0].Should().MatchRegex(@"^Step Functions: http://127\.0\.0\.1:\d+$");
        // One endpoint serves them all (routed by X-Amz-Target and by path), so the three URLs are the same.
        lines[1].Should().Be("EventBridge: " + endpoint.ToString().TrimEnd('/'));
        lines[2].Should().Be("Lambda: " + endpoint.ToString().TrimEnd('/'));
        lines[3].Should().MatchRegex(@"^DSQL: http://127\.0\.0\.1:\d+$").And.NotBe("DSQL: " + endpoint.ToString().TrimEnd('/'));
        lines[4].Should().Be("Console: " + endpoint.ToString().TrimEnd('/') + "/console/");
        lines[5].Should().StartWith("Ready: 3 state machines (ProvisionStateMachine, TeardownStateMachine, UpdateStateMachine) on the virtual clock");
        code.Should().Be(0);
        stdout.ToString().Should().Contain("Stopped:");
    }

    [Fact]
    public async Task Serve_DsqlEndpoint_PrintsThatUrlOnTheDsqlLine()
    {
        using var stop = new CancellationTokenSource();
        var stdout = new LineSignal("Ready:");
        // Nothing listens there: serve does not probe the endpoint, so the line is printed all the same.
        var run = global::Workflows.Cli.Program.RunAsync(["serve", "--port", "0", "--dsql-endpoint", "http://127.0.0.1:1", "--local-credentials", "--state-dir", _stateDirectory, "--template", Path.Combine(Root(), "template.yaml")], stdout, new StringWriter(), new CliHost { WorkingDirectory = Root() }, stop.Token);
        await stdout.Seen.WaitAsync(TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        var code = await run.WaitAsync(TimeSpan.FromSeconds(60));

        stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Contain("DSQL: http://127.0.0.1:1");
        code.Should().Be(0);
    }

    private static Task<RawClient> ClientAsync(Uri endpoint) => Task.FromResult(new RawClient(endpoint));

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await global::Workflows.Cli.Program.RunAsync(args, output, error, new CliHost { WorkingDirectory = Root() }, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Workflows.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("the repository root is not above " + AppContext.BaseDirectory);
    }

    /// <summary>A writer that says when a line starting with a prefix has been written (no polling).</summary>
    private sealed class LineSignal(string prefix) : StringWriter
    {
        private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => _seen.Task;

        public override Task WriteLineAsync(string? value)
        {
            lock (this)
            {
                base.WriteLine(value);
            }

            if (value?.StartsWith(prefix, StringComparison.Ordinal) == true)
            {
                _seen.TrySetResult();
            }

            return Task.CompletedTask;
        }

        public override string ToString()
        {
            lock (this)
            {
                return base.ToString();
            }
        }
    }

    /// <summary>A signed client with DSQL Local's key pair, which serve accepts.</summary>
    private sealed class RawClient(Uri endpoint) : IAsyncDisposable
    {
        private readonly HttpClient _http = new();

        public async Task<JsonObject> CallAsync(string operation, JsonObject request)
        {
            var body = System.Text.Encoding.UTF8.GetBytes(request.ToJsonString());
            using var message = new HttpRequestMessage(HttpMethod.Post, endpoint);
            message.Headers.Add("X-Amz-Target", "AWSStepFunctions." + operation);
            message.Content = new ByteArrayContent(body);
            message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.0");
            TestSigner.Sign(message, body, "us-east-1", "states", TimeProvider.System.GetUtcNow(), DsqlLocal.DsqlLocalDefaults.SecretAccessKey, DsqlLocal.DsqlLocalDefaults.AccessKeyId);
            using var response = await _http.SendAsync(message);
            var text = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).Should().Be(200, text);
            return (JsonNode.Parse(text) as JsonObject)!;
        }

        public ValueTask DisposeAsync()
        {
            _http.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
