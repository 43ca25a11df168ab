using System.Net;
using Workflows.WebConsole.Tests.Support;

namespace Workflows.WebConsole.Tests;

/// <summary>The pages as a browser gets them: the contract's hooks, 404s, encoding, headers, assets.</summary>
public sealed class ConsolePagesTests : IAsyncLifetime
{
    private ConsoleHarness _h = null!;
    private string _provision = null!;

    public async Task InitializeAsync()
    {
        _h = await ConsoleHarness.StartAsync();
        _provision = await _h.CreateMachineAsync("ProvisionStateMachine", Repo.Bound("provision.asl.json"));
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task StartPage_Machines_TableRowPerMachineWithLinkTypeAndCount()
    {
        await _h.CreateMachineAsync("Other", """{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}""");
        var other = _h.Service.StateMachineArn("Other");
        await _h.Service.WhenClosedAsync(await _h.StartExecutionAsync(other, "one"));

        var (status, html, response) = await _h.GetAsync("/console/");

        status.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().Should().Be("text/html; charset=utf-8");
        html.Should().Contain("<table id=\"state-machines\"")
            .And.Contain("<tr data-state-machine=\"ProvisionStateMachine\"><td><a class=\"state-machine-link\" href=\"/console/state-machines/ProvisionStateMachine\">")
            .And.Contain("<tr data-state-machine=\"Other\">");
        html.Should().MatchRegex("data-state-machine=\"Other\">.*?<td>STANDARD</td><td class=\"execution-count\">1</td>");
        html.Should().Contain("<table id=\"executions\"")
            .And.Contain("<tr data-execution-arn=\"arn:aws:states:us-east-1:123456789012:execution:Other:one\" data-status=\"SUCCEEDED\"><td><a class=\"execution-link\" href=\"/console/executions/arn:aws:states:us-east-1:123456789012:execution:Other:one\">one</a>");
    }

    [Fact]
    public async Task StartPage_Executions_NewestFirst()
    {
        var machine = await _h.CreateMachineAsync("Waits", """{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":5,"End":true}}}""");
        await _h.Service.WhenClosedAsync(await _h.StartExecutionAsync(machine, "first"));
        await _h.Service.WhenClosedAsync(await _h.StartExecutionAsync(machine, "second"));

        var (_, html, _) = await _h.GetAsync("/console/");

        html.IndexOf(":Waits:second\"", StringComparison.Ordinal).Should().BeLessThan(html.IndexOf(":Waits:first\"", StringComparison.Ordinal));
        html.Should().Contain("5.0 s");
    }

    [Fact]
    public async Task MachinePage_Provision_GraphTextListAndStartFormPrefilledFromEvents()
    {
        var (status, html, _) = await _h.GetAsync("/console/state-machines/ProvisionStateMachine");

        status.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("<svg id=\"graph\"").And.Contain("role=\"img\" aria-labelledby=\"graph-title graph-desc\"")
            .And.Contain("<g class=\"state\" data-state=\"Validate the request\" data-type=\"Task\"><title>Validate the request (Task state)</title>")
            .And.Contain("<g class=\"group\" data-state=")
            .And.Contain("data-kind=\"catch\"")
            .And.Contain("<ol id=\"graph-text\"")
            .And.Contain("<li data-state=\"Validate the request\"><strong>Validate the request</strong> (Task). Goes to Create the primary cluster (next); Record the rejected request (Catch on States.ALL).</li>");
        html.Should().Contain("<form id=\"start-form\"").And.Contain("<select id=\"input-preset\"")
            .And.Contain("<option value=\"provision-input.json\" selected")
            .And.Contain("<input id=\"execution-name\"").And.Contain("<textarea id=\"execution-input\"")
            .And.Contain("<button id=\"start-execution\" type=\"submit\">")
            .And.Contain("<div id=\"input-error\" role=\"alert\"");
        html.Should().NotContain("value=\"teardown-input.json\"", "the teardown request does not pass the provision request's validation");
        html.Should().Contain("&quot;primaryRegion&quot;: &quot;us-east-1&quot;", "the textarea holds the first preset");
        foreach (var id in new[] { "input-preset", "execution-name", "execution-input" })
        {
            html.Should().Contain($"<label for=\"{id}\">", $"#{id} has a label");
        }
    }

    [Fact]
    public async Task Pages_UnknownMachineExecutionOrPath_404Page()
    {
        foreach (var path in new[] { "/console/state-machines/Nope", "/console/executions/arn:aws:states:us-east-1:123456789012:execution:Nope:x", "/console/executions/garbage", "/console/nothing/here" })
        {
            var (status, html, response) = await _h.GetAsync(path);

            status.Should().Be(HttpStatusCode.NotFound, path);
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            html.Should().Contain("<h1>Not found</h1>");
        }
    }

    [Fact]
    public async Task Pages_UserData_HtmlEncoded()
    {
        var machine = await _h.CreateMachineAsync("Xss", """{"StartAt":"<img src=x onerror=alert(1)>","States":{"<img src=x onerror=alert(1)>":{"Type":"Pass","End":true}}}""");
        var arn = await _h.StartExecutionAsync(machine, "x", """{"evil":"<script>alert(1)</script>"}""");
        await _h.Service.WhenClosedAsync(arn);

        var (_, page, _) = await _h.GetAsync("/console/state-machines/Xss");
        var (_, execution, _) = await _h.GetAsync(ConsoleHarness.ExecutionPath(arn));

        page.Should().NotContain("<img src=x").And.Contain("&lt;img src=x onerror=alert(1)&gt;");
        execution.Should().NotContain("<script>alert(1)</script>").And.NotContain("<img src=x");
    }

    [Fact]
    public async Task Pages_SecurityHeaders_NoExternalOriginNoStore()
    {
        var (_, _, response) = await _h.GetAsync("/console/");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.Should().Contain("default-src 'none'").And.Contain("script-src 'self'").And.Contain("connect-src 'self'").And.Contain("frame-ancestors 'none'");
        csp.Should().NotContain("http").And.NotContain("*").And.NotContain("unsafe-inline");
        response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
    }

    [Fact]
    public async Task Pages_ForeignHostName_Refused()
    {
        var (status, _, _) = await _h.GetAsync("/console/", r => r.Headers.Host = "attacker.example");

        status.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Pages_NothingFromAnotherOrigin()
    {
        var (_, html, _) = await _h.GetAsync("/console/state-machines/ProvisionStateMachine");

        html.Should().NotMatchRegex("(src|href)=\"(https?:)?//", "no CDN: every asset is served by the console");
        html.Should().Contain("<script src=\"/console/assets/console.js\" defer></script>").And.NotContain("<script>");
        html.Should().Contain("<link rel=\"icon\" href=\"/console/assets/favicon.svg\"", "a page that names no icon makes the browser ask for /favicon.ico, a 404");
    }

    [Theory]
    [InlineData("console.css", "text/css; charset=utf-8", ":root")]
    [InlineData("console.js", "text/javascript; charset=utf-8", "/console/api")]
    [InlineData("favicon.svg", "image/svg+xml", "<title>Workflows console</title>")]
    public async Task Assets_Embedded_ContentTypeETagAndRevalidation(string file, string type, string content)
    {
        var (status, body, response) = await _h.GetAsync("/console/assets/" + file);
        var etag = response.Headers.ETag!.Tag;
        var (again, _, _) = await _h.GetAsync("/console/assets/" + file, r => r.Headers.TryAddWithoutValidation("If-None-Match", etag));

        status.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().Should().Be(type);
        body.Should().Contain(content);
        response.Headers.CacheControl!.NoCache.Should().BeTrue();
        again.Should().Be(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task Assets_Unknown_404()
    {
        var (status, _, _) = await _h.GetAsync("/console/assets/layout.html");

        status.Should().Be(HttpStatusCode.NotFound, "only the stylesheet and scripts are served as assets");
    }

    [Fact]
    public async Task Console_WithoutSlash_RedirectsToStartPage()
    {
        var (status, _, response) = await _h.GetAsync("/console");

        status.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Be("/console/");
    }

    [Fact]
    public void EndpointLine_BaseAddress_ConsolePath()
    {
        ConsoleEndpoint.EndpointLine(new Uri("http://127.0.0.1:8083/")).Should().Be("Console: http://127.0.0.1:8083/console/");
    }
}
