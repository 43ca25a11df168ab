using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.Engine.Tasks;
using Workflows.Engine.Time;
using Workflows.Host;
using Workflows.Host.StepFunctions;

namespace Workflows.WebConsole.Tests.Support;

/// <summary>The host on a free loopback port with the Step Functions service (virtual clock) and the console mapped.</summary>
internal sealed class ConsoleHarness : IAsyncDisposable
{
    public const string RoleArn = "arn:aws:iam::123456789012:role/console-test";

    private readonly HttpClient _http;

    private ConsoleHarness(ApplicationHost host, StepFunctionsService service)
    {
        Host = host;
        Service = service;
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
    }

    public ApplicationHost Host { get; }

    public StepFunctionsService Service { get; }

    public static async Task<ConsoleHarness> StartAsync(LambdaFunctionRegistry? lambda = null, string? eventsDirectory = null)
    {
        var service = new StepFunctionsService(new StepFunctionsOptions
        {
            VirtualClock = new VirtualClock(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            Lambda = lambda ?? new LambdaFunctionRegistry(),
            Seed = 11,
        });
        var console = new ConsoleEndpoint(service, new ConsoleOptions { EventsDirectory = eventsDirectory ?? Repo.Events });
        var host = await ApplicationHost.StartAsync(new ApplicationHostOptions(), [service], app => console.Map(app));
        return new ConsoleHarness(host, service);
    }

    public async Task<string> CreateMachineAsync(string name, string definition)
    {
        var created = await Service.HandleAsync("CreateStateMachine", new JsonObject { ["name"] = name, ["definition"] = definition, ["roleArn"] = RoleArn }, CancellationToken.None);
        return created["stateMachineArn"]!.GetValue<string>();
    }

    public async Task<string> StartExecutionAsync(string machineArn, string name, string input = "{}")
    {
        var started = await Service.HandleAsync("StartExecution", new JsonObject { ["stateMachineArn"] = machineArn, ["name"] = name, ["input"] = input }, CancellationToken.None);
        return started["executionArn"]!.GetValue<string>();
    }

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string path, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public async Task<JsonObject> GetJsonAsync(string path)
    {
        var (status, body, _) = await GetAsync(path);
        status.Should().Be(HttpStatusCode.OK, body);
        return (JsonNode.Parse(body) as JsonObject)!;
    }

    /// <summary>A console action as its script sends it (the action header and a JSON body), unless told otherwise.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(string path, JsonObject body, bool asConsole = true, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        if (asConsole)
        {
            request.Headers.Add("X-Workflows-Console", "1");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text) as JsonObject ?? []);
    }

    public static string ExecutionPath(string arn) => "/console/executions/" + arn;

    public static string ApiPath(string arn) => "/console/api/executions/" + arn;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Host.DisposeAsync();
        await Service.DisposeAsync();
    }
}
