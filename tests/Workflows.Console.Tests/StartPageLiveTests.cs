using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Workflows.Engine.Tasks;
using Workflows.WebConsole.Tests.Support;

namespace Workflows.WebConsole.Tests;

/// <summary>The start page's poll (/console/api/start): its tables' rows follow new executions and status changes.</summary>
public sealed class StartPageLiveTests : IAsyncLifetime
{
    // A task that waits until cancelled (the virtual clock would skip a Wait state): RUNNING until stopped.
    private const string Waits = """{"StartAt":"Hold","States":{"Hold":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:hold","End":true}}}""";

    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConsoleHarness _h = null!;

    public async Task InitializeAsync()
    {
        var lambda = new LambdaFunctionRegistry();
        lambda.Register("hold", async (JsonNode? _, CancellationToken ct) =>
        {
            _held.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return null;
        });
        _h = await ConsoleHarness.StartAsync(lambda);
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task StartJson_NoExecutions_MachineRowAndEmptyTable()
    {
        await _h.CreateMachineAsync("Waits", Waits);

        var json = await _h.GetJsonAsync("/console/api/start");

        json["machinesHtml"]!.GetValue<string>().Should().Contain("<tr data-state-machine=\"Waits\">").And.Contain("<td class=\"execution-count\">0</td>");
        json["executionsHtml"]!.GetValue<string>().Should().Contain("No executions yet.").And.NotContain("data-execution-arn");
        json["executionCount"]!.GetValue<int>().Should().Be(0);
        json["pollMilliseconds"]!.GetValue<int>().Should().Be(1000);
    }

    [Fact]
    public async Task StartJson_ExecutionStartedThenStopped_RowAppearsThenChangesStatus()
    {
        var machine = await _h.CreateMachineAsync("Waits", Waits);
        var arn = await _h.StartExecutionAsync(machine, "live");
        await _held.Task;

        var running = await _h.GetJsonAsync("/console/api/start");
        await _h.Service.HandleAsync("StopExecution", new JsonObject { ["executionArn"] = arn }, CancellationToken.None);
        var stopped = await _h.GetJsonAsync("/console/api/start");

        running["executionsHtml"]!.GetValue<string>().Should().Contain($"<tr data-execution-arn=\"{arn}\" data-status=\"RUNNING\">");
        running["machinesHtml"]!.GetValue<string>().Should().Contain("<td class=\"execution-count\">1</td>");
        running["executionCount"]!.GetValue<int>().Should().Be(1);
        stopped["executionsHtml"]!.GetValue<string>().Should().Contain($"<tr data-execution-arn=\"{arn}\" data-status=\"ABORTED\">").And.NotContain("RUNNING");
    }

    [Fact]
    public async Task StartPage_Rows_SameAsThePollAndNamesIt()
    {
        var machine = await _h.CreateMachineAsync("Waits", Waits);
        await _h.StartExecutionAsync(machine, "same");

        var (status, html, _) = await _h.GetAsync("/console/");
        var json = await _h.GetJsonAsync("/console/api/start");

        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("<body data-start-api=\"/console/api/start\">");
        // The script swaps rows only when they differ: the page's own rows must be what the poll sends.
        html.Should().Contain("<tbody>" + json["machinesHtml"]!.GetValue<string>() + "</tbody>")
            .And.Contain("<tbody>" + json["executionsHtml"]!.GetValue<string>() + "</tbody>");
    }
}

/// <summary>HEAD on every GET route: the status and headers of GET, no body (RFC 9110, 9.3.2).</summary>
public sealed class HeadRequestTests : IAsyncLifetime
{
    private ConsoleHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await ConsoleHarness.StartAsync();
        await _h.CreateMachineAsync("Passes", """{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData("/console/", HttpStatusCode.OK)]
    [InlineData("/console/state-machines/Passes", HttpStatusCode.OK)]
    [InlineData("/console/assets/console.css", HttpStatusCode.OK)]
    [InlineData("/console/assets/console.js", HttpStatusCode.OK)]
    [InlineData("/console/assets/favicon.svg", HttpStatusCode.OK)]
    [InlineData("/console/api/start", HttpStatusCode.OK)]
    [InlineData("/console/state-machines/Missing", HttpStatusCode.NotFound)]
    [InlineData("/console/no-such-page", HttpStatusCode.NotFound)]
    public async Task Head_Page_GetsStatusAndHeadersWithoutBody(string path, HttpStatusCode expected)
    {
        var (getStatus, getBody, get) = await _h.GetAsync(path);
        var (headStatus, headBody, head) = await _h.GetAsync(path, r => r.Method = HttpMethod.Head);

        getStatus.Should().Be(expected);
        headStatus.Should().Be(expected);
        headBody.Should().BeEmpty();
        head.Content.Headers.ContentType!.ToString().Should().Be(get.Content.Headers.ContentType!.ToString());
        head.Content.Headers.ContentLength.Should().Be(Encoding.UTF8.GetByteCount(getBody));
        head.Headers.GetValues("X-Content-Type-Options").Should().Equal("nosniff");
    }

    [Fact]
    public async Task Head_Execution_GetsOk()
    {
        var machine = (await _h.Service.HandleAsync("ListStateMachines", new JsonObject(), CancellationToken.None))["stateMachines"]![0]!["stateMachineArn"]!.GetValue<string>();
        var arn = await _h.StartExecutionAsync(machine, "head");
        await _h.Service.WhenClosedAsync(arn);

        var (page, pageBody, _) = await _h.GetAsync(ConsoleHarness.ExecutionPath(arn), r => r.Method = HttpMethod.Head);
        var (api, apiBody, _) = await _h.GetAsync(ConsoleHarness.ApiPath(arn), r => r.Method = HttpMethod.Head);

        page.Should().Be(HttpStatusCode.OK);
        api.Should().Be(HttpStatusCode.OK);
        (pageBody + apiBody).Should().BeEmpty();
    }
}
