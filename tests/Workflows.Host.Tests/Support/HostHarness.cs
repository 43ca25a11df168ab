using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DsqlLocal;
using Workflows.Engine.Tasks;
using Workflows.Engine.Time;
using Workflows.Host.StepFunctions;

namespace Workflows.Host.Tests.Support;

/// <summary>The host on a free loopback port with the Step Functions service on a virtual clock, and a signed client.</summary>
internal sealed class HostHarness : IAsyncDisposable
{
    public const string Region = "us-east-1";
    public const string RoleArn = "arn:aws:iam::123456789012:role/service-role/test";

    private readonly HttpClient _http = new();

    private HostHarness(ApplicationHost host, StepFunctionsService service, LambdaFunctionRegistry lambda)
    {
        Host = host;
        Service = service;
        Lambda = lambda;
    }

    public ApplicationHost Host { get; }

    public StepFunctionsService Service { get; }

    public LambdaFunctionRegistry Lambda { get; }

    public Uri Endpoint => Host.BaseAddress;

    /// <param name="time">Set: executions run on this clock in real time instead of on a virtual clock.</param>
    public static async Task<HostHarness> StartAsync(string? stateDirectory = null, LambdaFunctionRegistry? lambda = null, TimeProvider? time = null)
    {
        lambda ??= new LambdaFunctionRegistry();
        var service = new StepFunctionsService(new StepFunctionsOptions
        {
            Region = Region,
            VirtualClock = time is null ? new VirtualClock(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)) : null,
            Time = time ?? TimeProvider.System,
            Lambda = lambda,
            StateDirectory = stateDirectory,
            Seed = 7,
        });
        var host = await ApplicationHost.StartAsync(
            new ApplicationHostOptions { AccessKeys = [new AccessKeyPair(TestSigner.AccessKeyId, TestSigner.SecretAccessKey)] },
            [service]);
        return new HostHarness(host, service, lambda);
    }

    /// <summary>Calls an operation; returns the HTTP status and the JSON body.</summary>
    public async Task<(int Status, JsonObject Body)> SendAsync(string operation, JsonObject request, string? secret = null, bool sign = true)
    {
        var body = Encoding.UTF8.GetBytes(request.ToJsonString());
        using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint);
        message.Headers.Add("X-Amz-Target", "AWSStepFunctions." + operation);
        message.Content = new ByteArrayContent(body);
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        if (sign)
        {
            TestSigner.Sign(message, body, Region, "states", TimeProvider.System.GetUtcNow(), secret ?? TestSigner.SecretAccessKey);
        }

        using var response = await _http.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text) as JsonObject ?? []);
    }

    /// <summary>Calls an operation that must succeed.</summary>
    public async Task<JsonObject> CallAsync(string operation, JsonObject request)
    {
        var (status, body) = await SendAsync(operation, request);
        status.Should().Be(200, $"{operation} answered {body.ToJsonString()}");
        return body;
    }

    /// <summary>Calls an operation that must be refused with <paramref name="type"/>; returns the message.</summary>
    public async Task<string> RefusedAsync(string operation, JsonObject request, string type)
    {
        var (status, body) = await SendAsync(operation, request);
        status.Should().Be(400, body.ToJsonString());
        body["__type"]!.GetValue<string>().Should().Be(type, body.ToJsonString());
        return body["message"]!.GetValue<string>();
    }

    public async Task<string> CreateMachineAsync(string name, string definition, string type = "STANDARD")
    {
        var created = await CallAsync("CreateStateMachine", new JsonObject { ["name"] = name, ["definition"] = definition, ["roleArn"] = RoleArn, ["type"] = type });
        return created["stateMachineArn"]!.GetValue<string>();
    }

    public async Task<string> StartAsync(string machineArn, string? name = null, string input = "{}")
    {
        var request = new JsonObject { ["stateMachineArn"] = machineArn, ["input"] = input };
        if (name is not null)
        {
            request["name"] = name;
        }

        return (await CallAsync("StartExecution", request))["executionArn"]!.GetValue<string>();
    }

    /// <summary>Waits on the service's own completion signal, never on wall time (bounded so a hang fails).</summary>
    public async Task<JsonObject> WaitAsync(string executionArn)
    {
        await Service.WhenClosedAsync(executionArn).WaitAsync(TimeSpan.FromSeconds(30));
        return await CallAsync("DescribeExecution", new JsonObject { ["executionArn"] = executionArn });
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Host.DisposeAsync();
        await Service.DisposeAsync();
    }
}
