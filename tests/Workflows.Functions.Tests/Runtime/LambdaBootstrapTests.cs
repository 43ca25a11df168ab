using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Workflows.Core.Hosting;
using Workflows.Core.Hosting.Runtime;
using Workflows.Core.Steps;

namespace Workflows.Functions.Tests.Runtime;

/// <summary>
/// The bootstrap every function runs on provided.al2023, driven through the Lambda Runtime API over HTTP exactly as
/// the documentation describes it (a hand-written server, not our own client's idea of it).
/// </summary>
public sealed class LambdaBootstrapTests : IAsyncLifetime, IDisposable
{
    private const string ValidProvision = """{"request":{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2"}}""";

    private readonly FakeRuntimeApi _api = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal)
    {
        ["AWS_LAMBDA_FUNCTION_NAME"] = "ValidateProvisionRequestFunction",
        ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512",
        ["AWS_REGION"] = "us-east-1",
    };

    public Task InitializeAsync()
    {
        _environment[LambdaBootstrap.RuntimeApiVariable] = _api.Address;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _api.DisposeAsync();
    }

    public void Dispose()
    {
        _stop.Dispose();
        _stdout.Dispose();
        _stderr.Dispose();
    }

    private Task<int> Start(StepDefinition step) => LambdaBootstrap.RunAsync(
        step,
        new LambdaBootstrapOptions
        {
            Environment = name => _environment.GetValueOrDefault(name),
            Output = _stdout,
            Error = _stderr,
            Time = _time,
            HandleSigterm = false,
            SetTraceIdVariable = false,
        },
        _stop.Token);

    [Fact]
    public async Task RunAsync_ValidEvent_PostsTheStepOutputAsTheResponse()
    {
        var id = _api.Enqueue(ValidProvision);
        var run = Start(StepCatalog.ValidateProvisionRequest);

        var posted = await _api.NextPost;

        posted.Path.Should().Be($"/2018-06-01/runtime/invocation/{id}/response");
        posted.ErrorTypeHeader.Should().BeNull();
        posted.ContentType.Should().StartWith("application/json");
        using var body = JsonDocument.Parse(posted.Body);
        body.RootElement.GetProperty("request").GetProperty("witnessRegion").GetString().Should().Be("us-west-2");
        await _stop.CancelAsync();
        (await run).Should().Be(0);
    }

    [Fact]
    public async Task RunAsync_InvalidEvent_PostsTheErrorByItsShortTypeNameInHeaderAndBody()
    {
        var id = _api.Enqueue("""{"request":{"primaryRegion":"us-east-1","peerRegion":"us-east-1","witnessRegion":"us-west-2"}}""");
        _ = Start(StepCatalog.ValidateProvisionRequest);

        var posted = await _api.NextPost;

        posted.Path.Should().Be($"/2018-06-01/runtime/invocation/{id}/error");
        posted.ErrorTypeHeader.Should().Be("InvalidRequestException", "the state machines catch that name");
        using var body = JsonDocument.Parse(posted.Body);
        body.RootElement.GetProperty("errorType").GetString().Should().Be("InvalidRequestException");
        body.RootElement.GetProperty("errorMessage").GetString().Should().Contain("peerRegion");
        body.RootElement.GetProperty("stackTrace").ValueKind.Should().Be(JsonValueKind.Array);
    }

    [Fact]
    public async Task RunAsync_SeveralEvents_OneKeptAliveConnectionAndEachAnswered()
    {
        var ids = new[] { _api.Enqueue(ValidProvision), _api.Enqueue("""{"nope":1}"""), _api.Enqueue(ValidProvision) };
        _ = Start(StepCatalog.ValidateProvisionRequest);

        await _api.Drained.Task;

        _api.Posts.Select(p => p.Path).Should().Equal(
            $"/2018-06-01/runtime/invocation/{ids[0]}/response",
            $"/2018-06-01/runtime/invocation/{ids[1]}/error",
            $"/2018-06-01/runtime/invocation/{ids[2]}/response");
        _api.ClientPorts.Distinct().Should().ContainSingle("the runtime keeps one HTTP connection alive across invocations");
    }

    [Fact]
    public async Task RunAsync_BadEnvironment_ReportsFunctionConfigurationExceptionToInitErrorAndExits()
    {
        _environment["AWS_LAMBDA_LOG_LEVEL"] = "LOUD";
        _api.Enqueue(ValidProvision);

        var exit = await Start(StepCatalog.ValidateProvisionRequest);

        exit.Should().Be(LambdaBootstrap.InitFailureExitCode);
        var posted = _api.Posts.Should().ContainSingle().Which;
        posted.Path.Should().Be("/2018-06-01/runtime/init/error");
        posted.ErrorTypeHeader.Should().Be(nameof(FunctionConfigurationException));
        JsonDocument.Parse(posted.Body).RootElement.GetProperty("errorMessage").GetString().Should().Contain("AWS_LAMBDA_LOG_LEVEL");
    }

    [Fact]
    public async Task RunAsync_NoRuntimeApiVariable_ExitsSayingWhatIsMissing()
    {
        _environment.Remove(LambdaBootstrap.RuntimeApiVariable);

        var exit = await Start(StepCatalog.ValidateProvisionRequest);

        exit.Should().Be(LambdaBootstrap.RuntimeFailureExitCode);
        _stderr.ToString().Should().Contain("AWS_LAMBDA_RUNTIME_API");
        _api.Posts.Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_DeadlineBeforeTheBudget_StepTimeoutExceptionPostedBeforeTheDeadline()
    {
        var step = new EchoStep(_time);
        var deadline = _time.GetUtcNow().AddSeconds(5);
        var id = _api.Enqueue("""{"hang":true}""", deadline);
        _ = Start(EchoStep.Definition(step));
        await step.Started.Task;

        _time.Advance(TimeSpan.FromSeconds(5) - StepHost.DeadlineMargin);
        var posted = await _api.NextPost;

        posted.Path.Should().Be($"/2018-06-01/runtime/invocation/{id}/error");
        posted.ErrorTypeHeader.Should().Be("StepTimeoutException", "the state machines retry it; Lambda's own timeout would be Sandbox.Timedout");
        _time.GetUtcNow().Should().BeBefore(deadline);
    }

    [Fact]
    public async Task RunAsync_ResponseOverSixMegabytes_FailsWithLambdasOwnErrorTypeInsteadOfPosting()
    {
        var id = _api.Enqueue("""{"text":"0123456789abcdef","repeat":400000}""");
        _ = Start(EchoStep.Definition(new EchoStep(_time)));

        var posted = await _api.NextPost;

        posted.Path.Should().Be($"/2018-06-01/runtime/invocation/{id}/error");
        posted.ErrorTypeHeader.Should().Be("Function.ResponseSizeTooLarge");
        JsonDocument.Parse(posted.Body).RootElement.GetProperty("errorMessage").GetString()
            .Should().Be("Response payload size (6400011 bytes) exceeded maximum allowed payload size (6291556 bytes).");
    }

    [Fact]
    public async Task RunAsync_Invocation_LogLinesCarryTheRequestIdArnAndTraceId()
    {
        var id = _api.Enqueue(ValidProvision);
        _ = Start(StepCatalog.ValidateProvisionRequest);

        await _api.NextPost;

        var line = _stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).First();
        line.GetProperty("level").GetString().Should().Be("INFO");
        line.GetProperty("function_request_id").GetString().Should().Be(id);
        line.GetProperty("function_arn").GetString().Should().Be("arn:aws:lambda:us-east-1:123456789012:function:TestFunction");
        line.GetProperty("xray_trace_id").GetString().Should().StartWith("Root=1-5759e988");
        line.GetProperty("function_name").GetString().Should().Be("ValidateProvisionRequestFunction");
        line.GetProperty("cold_start").GetBoolean().Should().BeTrue();
    }
}
