using System.Net;
using DsqlLocal.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DsqlLocal.Tests;

/// <summary>The Region catalog, strict Region syntax, and inputs the service refuses.</summary>
public sealed class RegionAndInputTests
{
    [Fact]
    public async Task AnyOperation_RegionOutsideCatalog_ConnectionFailsLikeAMissingEndpoint()
    {
        await using var server = await DsqlLocalServer.StartAsync(new DsqlLocalOptions { Seed = 1 }, inProcess: true);
        using var client = new HttpClient(server.CreateInlineHandler()) { BaseAddress = server.BaseAddress };
        using var request = new SignedRequest { Method = "POST", ResourcePath = "/cluster", Body = "{}", Region = "xx-nowhere-1" }
            .Build(server.BaseAddress, TimeProvider.System.GetUtcNow());

        var send = () => client.SendAsync(request);

        (await send.Should().ThrowAsync<HttpRequestException>()).Which.HttpRequestError.Should().Be(HttpRequestError.NameResolutionError);
        server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task AnyOperation_RegionOutsideCatalogOverTestServer_ClientGetsNoAnswer()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var send = () => dsql.CreateAsync("{}", "sa-east-1");

        await send.Should().ThrowAsync<Exception>();
    }

    [Fact]
    public async Task AnyOperation_UnknownRegionServeMode_AnswersAsBefore()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.UnknownRegion = UnknownRegionBehavior.Serve);

        (await dsql.CreateAsync("{}", "sa-east-1")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CreateCluster_RegionsConfigured_ServesOnlyThose()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.Regions = ["us-east-1", "sa-east-1"]);

        (await dsql.CreateAsync("{}", "sa-east-1")).Status.Should().Be(HttpStatusCode.OK);
        var send = () => dsql.CreateAsync("{}", "us-east-2");
        await send.Should().ThrowAsync<Exception>();
    }

    [Fact]
    public async Task CreateCluster_WitnessNotAllowedAsWitness_ReturnsValidationNamingWitnessRegion()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.WitnessRegions = ["us-west-2"]);

        var response = await dsql.CreateAsync("""{"multiRegionProperties":{"witnessRegion":"eu-west-1"}}""");

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.Json.GetProperty("fieldList")[0].GetProperty("name").GetString().Should().Be("multiRegionProperties.witnessRegion");
    }

    [Fact]
    public async Task CreateCluster_WitnessOutsideCatalog_ReturnsValidation()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync("""{"multiRegionProperties":{"witnessRegion":"xx-nowhere-1"}}""");

        response.Status.Should().Be(HttpStatusCode.BadRequest, response.ToString());
        response.Body.Should().Contain("multiRegionProperties.witnessRegion");
    }

    [Theory]
    [InlineData("us-west-2\\n")]
    [InlineData("us-west-2\\r\\n")]
    [InlineData(" us-west-2")]
    public async Task CreateCluster_WitnessWithTrailingOrLeadingWhitespace_ReturnsValidation(string witness)
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync($$$"""{"multiRegionProperties":{"witnessRegion":"{{{witness}}}"}}""");

        response.Status.Should().Be(HttpStatusCode.BadRequest, response.ToString());
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task Faults_RuleRegionWithTrailingNewline_IsRefused()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var assign = () => dsql.Server.Faults = new FaultSettings { Rules = [new FaultRule { Region = "us-east-1\n" }] };

        assign.Should().Throw<ArgumentException>().WithMessage("*region*");
    }

    [Theory]
    [InlineData("aws:cloudformation:stack-name")]
    [InlineData("AWS:team")]
    public async Task CreateCluster_AwsPrefixedTagKey_ReturnsValidation(string key)
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync($$$"""{"tags":{"{{{key}}}":"x"}}""");

        response.Status.Should().Be(HttpStatusCode.BadRequest, response.ToString());
        response.String("message").Should().Contain("aws:");
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task TagResource_AwsPrefixedTagKey_ReturnsValidation()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync()).GetProperty("arn").GetString()!;

        var response = await dsql.TagAsync(arn, """{"tags":{"aws:owner":"x"}}""");

        response.Status.Should().Be(HttpStatusCode.BadRequest, response.ToString());
        dsql.Server.GetClusters().Single().Tags.Should().BeEmpty();
    }

    [Fact]
    public async Task UntagResource_WithoutTagKeys_ReturnsValidationNamingTagKeys()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync("""{"tags":{"team":"data"}}""")).GetProperty("arn").GetString()!;

        var response = await dsql.UntagAsync(arn, []);

        response.Status.Should().Be(HttpStatusCode.BadRequest, response.ToString());
        response.Json.GetProperty("fieldList")[0].GetProperty("name").GetString().Should().Be("tagKeys");
        response.String("message").Should().Contain("Member must not be null");
    }

    [Fact]
    public async Task CreateCluster_BodyStalls_Answers408OnTheEmulatorsClock()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.BodyReadTimeout = TimeSpan.FromSeconds(20));
        var stalled = new StalledStream();
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/cluster";
        context.Request.ContentLength = 100;
        context.Request.Body = stalled;
        context.Response.Body = new MemoryStream();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = "/cluster";

        var handling = dsql.Server.Pipeline.HandleAsync(context);
        stalled.ReadStarted.Should().BeTrue("the pipeline is waiting for the body");
        handling.IsCompleted.Should().BeFalse();
        dsql.Advance(TimeSpan.FromSeconds(20));
        await handling;

        context.Response.StatusCode.Should().Be(408);
        context.Response.Headers["x-amzn-ErrorType"].ToString().Should().Be("RequestTimeoutException");
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    /// <summary>A request body whose bytes never come; it only gives up when the reader cancels.</summary>
    private sealed class StalledStream : Stream
    {
        public bool ReadStarted { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ReadStarted = true;
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
