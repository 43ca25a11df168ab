using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.LambdaLocal.Tests.Support;

namespace Workflows.LambdaLocal.Tests;

/// <summary>The Invoke API over HTTP, with HttpClient and with the real AWS CLI.</summary>
public class InvokeApiTests
{
    private static HttpRequestMessage Invoke(LambdaService service, string name, string payload, string? type = null, bool tail = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(service.InvokeEndpoint, $"/2015-03-31/functions/{Uri.EscapeDataString(name)}/invocations"))
        {
            Content = new StringContent(payload, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (type is not null)
        {
            request.Headers.Add("X-Amz-Invocation-Type", type);
        }

        if (tail)
        {
            request.Headers.Add("X-Amz-Log-Type", "Tail");
        }

        return request;
    }

    [Fact]
    public async Task Post_RequestResponse_200WithPayloadVersionAndLogTail()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());
        using var http = new HttpClient();

        using var request = Invoke(service, "arn:aws:lambda:us-east-1:123456789012:function:Echo", """{"mode":"echo","a":1}""", tail: true);
        request.Headers.Add("X-Amz-Client-Context", Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"custom":{"k":"v"}}""")));
        using var response = await http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("X-Amz-Executed-Version").Should().Equal("$LATEST");
        response.Headers.Contains("X-Amz-Function-Error").Should().BeFalse();
        var tail = Encoding.UTF8.GetString(Convert.FromBase64String(response.Headers.GetValues("X-Amz-Log-Result").Single()));
        tail.Should().Contain("START RequestId:").And.Contain("REPORT RequestId:");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["event"]!["a"]!.GetValue<int>().Should().Be(1);
        body["headers"]!["Lambda-Runtime-Invoked-Function-Arn"]!.GetValue<string>().Should().Be("arn:aws:lambda:us-east-1:123456789012:function:Echo");
        body["headers"]!["Lambda-Runtime-Client-Context"]!.GetValue<string>().Should().Be("""{"custom":{"k":"v"}}""");
    }

    [Fact]
    public async Task Post_PayloadOver6MB_413RequestTooLargeAndNothingRuns()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());
        using var http = new HttpClient();

        using var response = await http.SendAsync(Invoke(service, "Echo", "\"" + new string('x', 6_291_456) + "\""));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        response.Headers.GetValues("x-amzn-ErrorType").Should().Equal("RequestTooLargeException");
        service.StartedProcessIds.Should().BeEmpty();
    }

    [Fact]
    public async Task Post_FunctionError_200WithUnhandledHeaderAndErrorDocument()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());
        using var http = new HttpClient();

        using var response = await http.SendAsync(Invoke(service, "Echo", """{"mode":"error","errorType":"ConflictException"}"""));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("X-Amz-Function-Error").Should().Equal("Unhandled");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["errorType"]!.GetValue<string>().Should().Be("ConflictException");
    }

    [Fact]
    public async Task Post_UnknownFunction_404ResourceNotFoundInLambdaErrorShape()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());
        using var http = new HttpClient();

        using var response = await http.SendAsync(Invoke(service, "Nope", "{}"));

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        response.Headers.GetValues("x-amzn-ErrorType").Should().Equal("ResourceNotFoundException");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["Type"]!.GetValue<string>().Should().Be("User");
        body["message"]!.GetValue<string>().Should().Be("Function not found: arn:aws:lambda:us-east-1:123456789012:function:Nope");
    }

    [Fact]
    public async Task Post_EventAndDryRun_202RunsInBackgroundAnd204RunsNothing()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());
        using var http = new HttpClient();

        using var dry = await http.SendAsync(Invoke(service, "Echo", "{}", "DryRun"));
        dry.StatusCode.Should().Be(HttpStatusCode.NoContent);
        service.StartedProcessIds.Should().BeEmpty();

        using var ev = await http.SendAsync(Invoke(service, "Echo", "{}", "Event"));
        ev.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await ev.Content.ReadAsStringAsync()).Should().BeEmpty();
        await TestRuntime.EventuallyAsync(() => service.StartedProcessIds.Count == 1, "the event invocation starts an instance");
    }

    [Fact]
    public async Task RuntimeApi_UnknownRequestId_400InvalidRequestId()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());
        var result = await service.InvokeAsync("Echo", Encoding.UTF8.GetBytes("{}"));
        var runtimeApi = JsonNode.Parse(result.PayloadText)!["env"]!["AWS_LAMBDA_RUNTIME_API"]!.GetValue<string>();
        using var http = new HttpClient();

        using var unknown = await http.PostAsync(new Uri($"http://{runtimeApi}/2018-06-01/runtime/invocation/not-a-request/response"), new StringContent("{}"));
        using var finished = await http.PostAsync(new Uri($"http://{runtimeApi}/2018-06-01/runtime/invocation/{result.RequestId}/response"), new StringContent("{}"));

        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("InvalidRequestID");
        finished.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [AwsCliFact]
    public async Task AwsCli_LambdaInvoke_PayloadInOutFileAndFunctionErrorReported()
    {
        await using var service = await LambdaService.StartAsync([TestRuntime.Function()], TestRuntime.Options());
        var dir = Directory.CreateTempSubdirectory("lambdalocal-cli-").FullName;
        var binary = await AwsCli.IsVersion2Async() ? new[] { "--cli-binary-format", "raw-in-base64-out" } : [];
        string[] Args(string function, string payload, string outFile) =>
            ["lambda", "invoke", "--endpoint-url", service.InvokeEndpoint.ToString().TrimEnd('/'), "--function-name", function, .. binary, "--payload", payload, Path.Combine(dir, outFile)];

        var ok = await AwsCli.RunAsync(Args("Echo", """{"mode":"echo","cli":true}""", "ok.json"));
        var failed = await AwsCli.RunAsync(Args("Echo", """{"mode":"error","errorType":"BoomError"}""", "err.json"));
        var missing = await AwsCli.RunAsync(Args("Nope", "{}", "missing.json"));

        ok.ExitCode.Should().Be(0, ok.Stderr);
        JsonNode.Parse(ok.Stdout)!["StatusCode"]!.GetValue<int>().Should().Be(200);
        JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "ok.json")))!["event"]!["cli"]!.GetValue<bool>().Should().BeTrue();
        failed.ExitCode.Should().Be(0, failed.Stderr);
        JsonNode.Parse(failed.Stdout)!["FunctionError"]!.GetValue<string>().Should().Be("Unhandled");
        JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "err.json")))!["errorType"]!.GetValue<string>().Should().Be("BoomError");
        missing.ExitCode.Should().NotBe(0);
        missing.Stderr.Should().Contain("ResourceNotFoundException").And.Contain("Function not found");
    }
}
