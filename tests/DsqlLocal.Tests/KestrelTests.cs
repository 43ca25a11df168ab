using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests;

public sealed partial class KestrelTests
{
    [Fact]
    public async Task StartAsync_PortZero_ServesRealHttpRoundTrip()
    {
        await using var server = await DsqlLocalServer.StartAsync(new DsqlLocalOptions { Port = 0 });
        using var client = new HttpClient(server.CreateHandler());

        server.BaseAddress.Host.Should().Be("127.0.0.1");
        server.BaseAddress.Port.Should().NotBe(0);
        using var create = new SignedRequest { Method = "POST", Body = """{"tags":{"via":"kestrel"}}""" }.Build(server.BaseAddress, DateTimeOffset.UtcNow);
        var created = await client.SendAsync(create);
        created.StatusCode.Should().Be(HttpStatusCode.OK, await created.Content.ReadAsStringAsync());
        var arn = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("arn").GetString()!;
        using var tags = new SignedRequest { ResourcePath = "/tags/{resourceArn}", PathResources = { ["{resourceArn}"] = arn } }
            .Build(server.BaseAddress, DateTimeOffset.UtcNow);
        var listed = await client.SendAsync(tags);

        listed.StatusCode.Should().Be(HttpStatusCode.OK, await listed.Content.ReadAsStringAsync());
        (await listed.Content.ReadAsStringAsync()).Should().Contain("kestrel");
    }

    [Fact]
    public async Task Cli_PortZero_PrintsListeningLineServesAndStopsOnSigterm()
    {
        var dll = typeof(DsqlLocalServer).Assembly.Location;
        using var process = Process.Start(new ProcessStartInfo("dotnet", [dll, "--port", "0", "--seed", "3"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            var first = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            first.Should().MatchRegex("^DSQL Local listening on http://127\\.0\\.0\\.1:[0-9]+$");
            var baseAddress = new Uri(ListeningUrl().Match(first!).Value + "/");
            using var client = new HttpClient();
            (await client.GetAsync(new Uri(baseAddress, "_dsql-local/health"))).StatusCode.Should().Be(HttpStatusCode.OK);
            using var list = new SignedRequest().Build(baseAddress, DateTimeOffset.UtcNow);
            (await client.SendAsync(list)).StatusCode.Should().Be(HttpStatusCode.OK);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            process.ExitCode.Should().Be(0);
            (await process.StandardOutput.ReadLineAsync()).Should().Contain("ListClusters");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task Cli_UnresolvableHost_ExitsWithTwoAndOneLineNamingHost()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await DsqlLocal.Cli.CommandLine.RunAsync(["--host", "nonexistent.invalid", "--port", "0"], output, error);

        exit.Should().Be(2);
        error.ToString().TrimEnd().Should().StartWith("dsql-local: --host").And.Contain("nonexistent.invalid").And.NotContain("\n");
        output.ToString().Should().BeEmpty();
    }

    [Fact]
    public async Task Cli_PortInUse_ExitsWithOneNamingPort()
    {
        await using var running = await DsqlLocalServer.StartAsync(new DsqlLocalOptions { Port = 0 });
        var port = running.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await DsqlLocal.Cli.CommandLine.RunAsync(["--port", port], output, error);

        exit.Should().Be(1);
        error.ToString().TrimEnd().Should().Contain("--port").And.Contain("in use").And.NotContain("\n");
        output.ToString().Should().BeEmpty();
    }

    [Fact]
    public async Task StartAsync_UnresolvableHost_ThrowsStartupExceptionNamingHost()
    {
        var start = () => DsqlLocalServer.StartAsync(new DsqlLocalOptions { Host = "nonexistent.invalid", Port = 0 });

        (await start.Should().ThrowAsync<DsqlLocalStartupException>()).Which.Option.Should().Be("--host");
    }

    [Fact]
    public async Task Kestrel_RawNulInPath_GetsKestrelsBare400AsDocumented()
    {
        await using var server = await DsqlLocalServer.StartAsync(new DsqlLocalOptions { Port = 0 });
        using var client = new HttpClient(server.CreateHandler());

        var response = await client.GetAsync(new Uri(server.BaseAddress, "cluster/a%00b"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Headers.Contains("x-amzn-ErrorType").Should().BeFalse();
        (await response.Content.ReadAsStringAsync()).Should().BeEmpty();
    }

    [GeneratedRegex("http://[0-9.]+:[0-9]+")]
    private static partial Regex ListeningUrl();
}
