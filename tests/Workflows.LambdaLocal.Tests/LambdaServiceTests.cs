using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.LambdaLocal.Tests.Support;

namespace Workflows.LambdaLocal.Tests;

/// <summary>Real bootstrap processes through the Runtime API: outcomes as Lambda reports them.</summary>
public class LambdaServiceTests
{
    private static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    private static JsonNode Parse(InvocationResult r) => JsonNode.Parse(r.PayloadText)!;

    [Fact]
    public async Task InvokeAsync_Echo_PayloadBackWithLambdaEnvironmentAndHeaders()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());

        var result = await service.InvokeAsync("Echo", Json("""{"mode":"echo","n":1}"""));

        result.IsError.Should().BeFalse(result.PayloadText);
        result.ExecutedVersion.Should().Be("$LATEST");
        var body = Parse(result);
        body["event"]!["n"]!.GetValue<int>().Should().Be(1);
        body["requestId"]!.GetValue<string>().Should().Be(result.RequestId);
        body["cwd"]!.GetValue<string>().Should().Be(TestRuntime.ArtifactDirectory);
        var env = body["env"]!;
        env["AWS_LAMBDA_FUNCTION_NAME"]!.GetValue<string>().Should().Be("Echo");
        env["AWS_LAMBDA_FUNCTION_VERSION"]!.GetValue<string>().Should().Be("$LATEST");
        env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]!.GetValue<string>().Should().Be("256");
        env["AWS_LAMBDA_LOG_GROUP_NAME"]!.GetValue<string>().Should().Be("/aws/lambda/Echo");
        env["AWS_LAMBDA_LOG_STREAM_NAME"]!.GetValue<string>().Should().Contain("[$LATEST]");
        env["AWS_REGION"]!.GetValue<string>().Should().Be("us-east-1");
        env["AWS_DEFAULT_REGION"]!.GetValue<string>().Should().Be("us-east-1");
        env["LAMBDA_TASK_ROOT"]!.GetValue<string>().Should().Be(TestRuntime.ArtifactDirectory);
        env["LAMBDA_RUNTIME_DIR"]!.GetValue<string>().Should().Be("/var/runtime");
        env["TZ"]!.GetValue<string>().Should().Be(":UTC");
        env["AWS_ACCESS_KEY_ID"]!.GetValue<string>().Should().Be("AKIDTEST");
        env["AWS_SESSION_TOKEN"]!.GetValue<string>().Should().Be("token");
        env["CUSTOM"]!.GetValue<string>().Should().Be("yes");
        env["AWS_LAMBDA_RUNTIME_API"]!.GetValue<string>().Should().StartWith("127.0.0.1:");
        env["AWS_EXECUTION_ENV"].Should().BeNull("Lambda sets none for OS-only runtimes");
        env["AWS_LAMBDA_LOG_FORMAT"].Should().BeNull("only JSON logging sets it");
        var headers = body["headers"]!;
        headers["Lambda-Runtime-Invoked-Function-Arn"]!.GetValue<string>().Should().Be("arn:aws:lambda:us-east-1:123456789012:function:Echo");
        headers["Lambda-Runtime-Trace-Id"]!.GetValue<string>().Should().StartWith("Root=1-");
        var deadline = long.Parse(headers["Lambda-Runtime-Deadline-Ms"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        deadline.Should().BeGreaterThan(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 5_000, "the deadline is epoch ms, Timeout (10 s) after delivery");
        result.Log.Should().Contain($"START RequestId: {result.RequestId} Version: $LATEST").And.Contain($"REPORT RequestId: {result.RequestId}");
    }

    [Fact]
    public async Task InvokeAsync_FunctionError_UnhandledWithTheRuntimesErrorDocument()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());

        var result = await service.InvokeAsync("Echo", Json("""{"mode":"error","errorType":"ValidationException"}"""));

        result.FunctionError.Should().Be("Unhandled");
        result.ErrorType.Should().Be("ValidationException");
        var doc = Parse(result);
        doc["errorType"]!.GetValue<string>().Should().Be("ValidationException");
        doc["errorMessage"]!.GetValue<string>().Should().Be("failed on purpose");
        doc["stackTrace"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task InvokeAsync_InitError_FailsWithPostedErrorAndInstanceIsKilled()
    {
        var fn = TestRuntime.Function("Broken", new Dictionary<string, string> { ["TEST_INIT"] = "error" });
        await using var service = await LambdaService.StartAsync([fn], TestRuntime.Options());

        var result = await service.InvokeAsync("Broken", Json("{}"));

        result.FunctionError.Should().Be("Unhandled");
        result.ErrorType.Should().Be("Runtime.TestInitError");
        Parse(result)["errorMessage"]!.GetValue<string>().Should().Be("init failed on purpose");
        var pid = service.StartedProcessIds.Should().ContainSingle().Subject;
        await TestRuntime.EventuallyAsync(() => !TestRuntime.ProcessExists(pid), "the environment is dead after /runtime/init/error");
    }

    [Fact]
    public async Task InvokeAsync_ExitBeforeNext_RuntimeExitErrorWithExitStatus()
    {
        var fn = TestRuntime.Function("Dies", new Dictionary<string, string> { ["TEST_INIT"] = "crash" });
        await using var service = await LambdaService.StartAsync([fn], TestRuntime.Options());

        var result = await service.InvokeAsync("Dies", Json("{}"));

        result.ErrorType.Should().Be("Runtime.ExitError");
        Parse(result)["errorMessage"]!.GetValue<string>().Should().Be($"RequestId: {result.RequestId} Error: Runtime exited with error: exit status 2");
    }

    [Fact]
    public async Task InvokeAsync_CrashMidInvocation_RuntimeExitErrorAndNextInvocationGetsNewProcess()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());

        var crashed = await service.InvokeAsync("Echo", Json("""{"mode":"crash"}"""));
        var after = await service.InvokeAsync("Echo", Json("""{"mode":"echo"}"""));

        crashed.FunctionError.Should().Be("Unhandled");
        crashed.ErrorType.Should().Be("Runtime.ExitError");
        Parse(crashed)["errorMessage"]!.GetValue<string>().Should().EndWith("Runtime exited with error: exit status 3");
        crashed.Log.Should().Contain("about to crash", "output written before the exit is kept");
        after.IsError.Should().BeFalse(after.PayloadText);
        service.StartedProcessIds.Should().HaveCount(2);
    }

    [Fact]
    public async Task InvokeAsync_SleepPastTimeout_SandboxTimedoutAndProcessKilled()
    {
        var fn = TestRuntime.Function() with { TimeoutSeconds = 1 };
        await using var service = await LambdaService.StartAsync([fn], TestRuntime.Options());

        var result = await service.InvokeAsync("Echo", Json("""{"mode":"sleep","seconds":30}"""));

        result.FunctionError.Should().Be("Unhandled");
        result.ErrorType.Should().Be("Sandbox.Timedout");
        Parse(result)["errorMessage"]!.GetValue<string>().Should().MatchRegex($"^RequestId: {result.RequestId} Error: Task timed out after [0-9]+\\.[0-9]{{2}} seconds$");
        result.Log.Should().Contain("Task timed out after");
        var pid = service.StartedProcessIds.Should().ContainSingle().Subject;
        await TestRuntime.EventuallyAsync(() => !TestRuntime.ProcessExists(pid), "a timed-out environment is killed");
    }

    [Fact]
    public async Task InvokeAsync_TwoConcurrent_RunInTwoProcesses()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());

        var both = await Task.WhenAll(
            service.InvokeAsync("Echo", Json("""{"mode":"sleep","seconds":0.5}""")),
            service.InvokeAsync("Echo", Json("""{"mode":"sleep","seconds":0.5}""")));

        both.Should().OnlyContain(r => !r.IsError);
        both.Select(r => Parse(r)["pid"]!.GetValue<int>()).Distinct().Should().HaveCount(2);
    }

    [Fact]
    public async Task InvokeAsync_Sequential_WarmInstanceReused()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());

        var first = await service.InvokeAsync("Echo", Json("{}"));
        var second = await service.InvokeAsync("Echo", Json("{}"));

        Parse(second)["pid"]!.GetValue<int>().Should().Be(Parse(first)["pid"]!.GetValue<int>());
        service.StartedProcessIds.Should().ContainSingle();
    }

    [Fact]
    public async Task InvokeAsync_JsonLogsWithApplicationLevelError_ErrorLineKeptInfoAndWarnDropped()
    {
        var logs = new ConcurrentQueue<LambdaLogLine>();
        var fn = TestRuntime.Function() with { LogFormat = LambdaLogFormat.Json, ApplicationLogLevel = LambdaLogLevel.Error };
        await using var service = await LambdaService.StartAsync([fn], TestRuntime.Options(logs));

        var result = await service.InvokeAsync("Echo", Json("""{"mode":"log"}"""));

        Parse(result)["env"]!["AWS_LAMBDA_LOG_FORMAT"]!.GetValue<string>().Should().Be("JSON");
        Parse(result)["env"]!["AWS_LAMBDA_LOG_LEVEL"]!.GetValue<string>().Should().Be("ERROR");
        // The lines go out in order on one stream: once the ERROR line is here, the earlier ones were read too.
        await TestRuntime.EventuallyAsync(() => logs.Any(l => l.Text.Contains("line at ERROR", StringComparison.Ordinal)), "the ERROR line survives");
        var error = logs.Single(l => l.Text.Contains("line at ERROR", StringComparison.Ordinal));
        error.Level.Should().Be(LambdaLogLevel.Error);
        error.Source.Should().Be("stdout");
        error.RequestId.Should().Be(result.RequestId);
        logs.Should().NotContain(l => l.Text.Contains("line at INFO", StringComparison.Ordinal) || l.Text.Contains("line at WARN", StringComparison.Ordinal) || l.Text.Contains("line at DEBUG", StringComparison.Ordinal));
        logs.Should().Contain(l => l.Source == "platform" && l.Text.Contains("platform.start", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InvokeAsync_ResponseOver6MB_FunctionResponseSizeTooLarge()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());

        var result = await service.InvokeAsync("Echo", Json("""{"mode":"big"}"""));

        result.ErrorType.Should().Be("Function.ResponseSizeTooLarge");
        Parse(result)["errorMessage"]!.GetValue<string>().Should().MatchRegex(@"^Response payload size \(\d+ bytes\) exceeded maximum allowed payload size \(6291556 bytes\)\.$");
    }

    [Fact]
    public async Task InvokeAsync_AllocatesBeyondMemorySize_OutOfMemoryAndProcessKilled()
    {
        var fn = TestRuntime.Function() with { MemorySizeMb = 64 };
        await using var service = await LambdaService.StartAsync([fn], TestRuntime.Options());

        var result = await service.InvokeAsync("Echo", Json("""{"mode":"alloc","mb":200}"""));

        result.ErrorType.Should().Be("Runtime.OutOfMemory");
        var pid = service.StartedProcessIds.Should().ContainSingle().Subject;
        await TestRuntime.EventuallyAsync(() => !TestRuntime.ProcessExists(pid), "an environment over its memory is killed");
    }

    [Fact]
    public async Task InvokeAsync_NoBootstrap_RuntimeInvalidEntrypoint()
    {
        var empty = Directory.CreateTempSubdirectory("lambdalocal-empty-").FullName;
        var fn = new LambdaFunction { Name = "Empty", ArtifactDirectory = empty };
        await using var service = await LambdaService.StartAsync([fn], TestRuntime.Options());

        var result = await service.InvokeAsync("Empty", Json("{}"));

        result.ErrorType.Should().Be("Runtime.InvalidEntrypoint");
        Parse(result)["errorMessage"]!.GetValue<string>().Should().Be($"RequestId: {result.RequestId} Error: Couldn't find valid bootstrap(s): [{Path.Combine(empty, "bootstrap")}]");
    }

    [Fact]
    public async Task InvokeAsync_ByFullAndPartialArn_Resolved()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());

        var full = await service.InvokeAsync("arn:aws:lambda:us-east-1:123456789012:function:Echo", Json("{}"));
        var partial = await service.InvokeAsync("123456789012:function:Echo:$LATEST", Json("{}"));

        full.IsError.Should().BeFalse();
        partial.IsError.Should().BeFalse();
        var act = () => service.InvokeAsync("Nope", Json("{}"));
        await act.Should().ThrowAsync<LambdaFunctionNotFoundException>().WithMessage("Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope");
    }

    [Fact]
    public async Task DisposeAsync_AfterWarmAndBusyInstances_NoProcessLeft()
    {
        var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());
        await service.InvokeAsync("Echo", Json("{}"));
        var busy = service.InvokeAsync("Echo", Json("""{"mode":"sleep","seconds":30}"""));
        var other = service.InvokeAsync("Echo", Json("""{"mode":"sleep","seconds":30}"""));
        await TestRuntime.EventuallyAsync(() => service.StartedProcessIds.Count == 2, "a second instance started for the second busy invocation");

        await service.DisposeAsync();

        service.StartedProcessIds.Should().HaveCount(2).And.OnlyContain(pid => !TestRuntime.ProcessExists(pid));
        (await busy).ErrorType.Should().Be("Runtime.ExitError", "the invocation in flight ends when its environment is killed");
        (await other).IsError.Should().BeTrue();
    }

    [Fact]
    public async Task ShutdownAsync_IdleInstance_TerminatedGracefully()
    {
        var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());
        await service.InvokeAsync("Echo", Json("{}"));
        var pid = service.StartedProcessIds.Single();

        await service.ShutdownAsync();

        TestRuntime.ProcessExists(pid).Should().BeFalse();
    }
}
