using System.Net;
using System.Text;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests;

public sealed class TagTests
{
    [Fact]
    public async Task TagResource_ThenListAndUntag_ManagesTags()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync("""{"tags":{"Name":"orders db","team":"core"}}""")).GetProperty("arn").GetString()!;

        var tag = await dsql.TagAsync(arn, """{"tags":{"env":"test","team":"platform","path":"a/b:c=d+e@f"}}""");
        tag.Status.Should().Be(HttpStatusCode.OK, tag.ToString());
        var untag = await dsql.UntagAsync(arn, ["Name", "missing"]);
        untag.Status.Should().Be(HttpStatusCode.OK, untag.ToString());
        var list = await dsql.ListTagsAsync(arn);

        list.Status.Should().Be(HttpStatusCode.OK);
        list.Json.GetProperty("tags").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString())
            .Should().BeEquivalentTo(new Dictionary<string, string> { ["team"] = "platform", ["env"] = "test", ["path"] = "a/b:c=d+e@f" });
    }

    [Fact]
    public async Task UntagResource_SeveralKeys_RemovesEach()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync("""{"tags":{"a":"1","b":"2","c d":"3"}}""")).GetProperty("arn").GetString()!;

        (await dsql.UntagAsync(arn, ["a", "c d"])).Status.Should().Be(HttpStatusCode.OK);

        (await dsql.GetAsync(arn[^26..])).Json.GetProperty("tags").EnumerateObject().Select(p => p.Name).Should().Equal("b");
    }

    [Fact]
    public async Task ListTagsForResource_ArnOfOtherRegion_ReturnsResourceNotFound()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync()).GetProperty("arn").GetString()!;

        var response = await dsql.ListTagsAsync(arn, region: "us-west-2");

        response.Status.Should().Be(HttpStatusCode.NotFound);
        response.ErrorType.Should().Be("ResourceNotFoundException");
        response.String("resourceId").Should().Be(arn);
    }

    [Fact]
    public async Task TagResource_UnknownCluster_ReturnsResourceNotFound()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.TagAsync("arn:aws:dsql:us-east-1:123456789012:cluster/aaaaaaaaaaaaaaaaaaaaaaaaaa", """{"tags":{"a":"b"}}""");

        response.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TagResource_NotAnArn_ReturnsValidationException()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.TagAsync("cluster-x", """{"tags":{"a":"b"}}""");

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.Json.GetProperty("fieldList")[0].GetProperty("name").GetString().Should().Be("resourceArn");
    }

    [Fact]
    public async Task TagResource_MoreThan200InTotal_ReturnsServiceQuotaExceeded()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync(Tags(0, 150))).GetProperty("arn").GetString()!;

        var response = await dsql.TagAsync(arn, Tags(150, 51));

        response.Status.Should().Be((HttpStatusCode)402);
        response.ErrorType.Should().Be("ServiceQuotaExceededException");
        (await dsql.ListTagsAsync(arn)).Json.GetProperty("tags").EnumerateObject().Count().Should().Be(150);
    }

    [Fact]
    public async Task CreateCluster_MoreThan200Tags_ReturnsValidationException()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync(Tags(0, 201));

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.String("reason").Should().Be("fieldValidationFailed");
        response.Json.GetProperty("fieldList")[0].GetProperty("name").GetString().Should().Be("tags");
    }

    [Fact]
    public async Task TagResource_DeletedCluster_ReturnsResourceNotFoundOnceGone()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync("""{"deletionProtectionEnabled":false}""")).GetProperty("arn").GetString()!;
        await dsql.DeleteAsync(arn[^26..]);
        dsql.Advance(TimeSpan.FromMinutes(1));

        (await dsql.ListTagsAsync(arn)).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListTagsForResource_ArnWithUnencodedSlash_IsAccepted()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync("""{"tags":{"k":"v"}}""")).GetProperty("arn").GetString()!;

        // The ARN's '/' left as a path separator: still the same ARN.
        var response = await dsql.SendAsync(new SignedRequest { ResourcePath = "/tags/" + arn });

        response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
        response.Json.GetProperty("tags").GetProperty("k").GetString().Should().Be("v");
    }

    private static string Tags(int from, int count)
    {
        var builder = new StringBuilder("""{"tags":{""");
        builder.AppendJoin(',', Enumerable.Range(from, count).Select(i => $"\"key{i}\":\"value{i}\""));
        return builder.Append("}}").ToString();
    }
}
