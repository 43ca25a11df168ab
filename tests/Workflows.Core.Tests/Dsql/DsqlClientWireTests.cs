using System.Net;
using System.Text.Json;
using Amazon.Runtime;
using Workflows.Core.Dsql;

namespace Workflows.Core.Tests.Dsql;

// What goes on the wire for each operation: method, path, query, body members, signature headers.
public class DsqlClientWireTests : ClientTestBase
{
    [Fact]
    public async Task CreateClusterAsync_MultiRegion_PostsModelMembersAndParsesOutput()
    {
        Handler.Respond(HttpStatusCode.OK, ClusterJson);
        var response = await Client().CreateClusterAsync(new CreateClusterRequest
        {
            DeletionProtectionEnabled = false,
            Tags = new Dictionary<string, string> { ["team"] = "platform" },
            ClientToken = "exec-1/create-primary",
            MultiRegionProperties = new MultiRegionProperties { WitnessRegion = "us-west-2" },
        });

        var sent = Handler.Requests.Single();
        sent.Method.Should().Be(HttpMethod.Post);
        sent.Uri.AbsolutePath.Should().Be("/cluster");
        sent.ContentType.Should().Be("application/json");
        using var body = JsonDocument.Parse(sent.Body!);
        body.RootElement.GetProperty("deletionProtectionEnabled").GetBoolean().Should().BeFalse();
        body.RootElement.GetProperty("clientToken").GetString().Should().Be("exec-1/create-primary");
        body.RootElement.GetProperty("multiRegionProperties").GetProperty("witnessRegion").GetString().Should().Be("us-west-2");
        body.RootElement.GetProperty("multiRegionProperties").TryGetProperty("clusters", out _).Should().BeFalse("null members are not sent");
        body.RootElement.GetProperty("tags").GetProperty("team").GetString().Should().Be("platform");
        body.RootElement.TryGetProperty("kmsEncryptionKey", out _).Should().BeFalse();

        response.Identifier.Should().Be("abcdefghijklmnopqrstuvwxyz");
        response.Status.Should().Be(ClusterStatus.Active);
        response.CreationTime.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1764158400123));
        response.MultiRegionProperties!.Clusters.Should().ContainSingle().Which.Should().EndWith("/zyxwvutsrqponmlkjihgfedcba");
        response.EncryptionDetails!.EncryptionType.Should().Be("AWS_OWNED_KMS_KEY");
        response.Endpoint.Should().Be("abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws");
    }

    [Fact]
    public async Task GetClusterAsync_Identifier_GetsClusterPathAndParsesEveryMember()
    {
        Handler.Respond(HttpStatusCode.OK, ClusterJson);
        var cluster = await Client().GetClusterAsync("abcdefghijklmnopqrstuvwxyz");

        var sent = Handler.Requests.Single();
        sent.Method.Should().Be(HttpMethod.Get);
        sent.Uri.PathAndQuery.Should().Be("/cluster/abcdefghijklmnopqrstuvwxyz");
        sent.Body.Should().BeNull();
        cluster.DeletionProtectionEnabled.Should().BeTrue();
        cluster.Tags.Should().Contain("team", "platform");
        cluster.MultiRegionProperties!.WitnessRegion.Should().Be("us-west-2");
    }

    [Fact]
    public async Task UpdateClusterAsync_BackLink_PostsToClusterWithoutIdentifierInBody()
    {
        Handler.Respond(HttpStatusCode.OK, StatusJson);
        await Client().UpdateClusterAsync(new UpdateClusterRequest
        {
            Identifier = "abcdefghijklmnopqrstuvwxyz",
            ClientToken = "tok",
            MultiRegionProperties = new MultiRegionProperties { WitnessRegion = "us-west-2", Clusters = ["arn:aws:dsql:us-east-2:123456789012:cluster/zyxwvutsrqponmlkjihgfedcba"] },
        });

        var sent = Handler.Requests.Single();
        sent.Method.Should().Be(HttpMethod.Post);
        sent.Uri.AbsolutePath.Should().Be("/cluster/abcdefghijklmnopqrstuvwxyz");
        using var body = JsonDocument.Parse(sent.Body!);
        body.RootElement.TryGetProperty("identifier", out _).Should().BeFalse("identifier is a URI member");
        body.RootElement.GetProperty("multiRegionProperties").GetProperty("clusters")[0].GetString().Should().StartWith("arn:aws:dsql:us-east-2");
    }

    [Fact]
    public async Task DeleteClusterAsync_ClientToken_TravelsAsClientTokenQuery()
    {
        Handler.Respond(HttpStatusCode.OK, StatusJson);
        var result = await Client().DeleteClusterAsync(new DeleteClusterRequest { Identifier = "abcdefghijklmnopqrstuvwxyz", ClientToken = "exec-1/delete primary" });

        var sent = Handler.Requests.Single();
        sent.Method.Should().Be(HttpMethod.Delete);
        sent.Uri.AbsolutePath.Should().Be("/cluster/abcdefghijklmnopqrstuvwxyz");
        sent.Uri.Query.Should().Be("?client-token=exec-1%2Fdelete%20primary");
        result.Status.Should().Be(ClusterStatus.Deleting);
    }

    [Fact]
    public async Task ListClustersAsync_Paging_SendsMaxResultsAndNextToken()
    {
        Handler.Respond(HttpStatusCode.OK, """{"clusters":[{"identifier":"a","arn":"x"}],"nextToken":"t2"}""");
        var page = await Client().ListClustersAsync(new ListClustersRequest { MaxResults = 5, NextToken = "t1" });

        Handler.Requests.Single().Uri.PathAndQuery.Should().Be("/cluster?max-results=5&next-token=t1");
        page.Clusters.Should().ContainSingle();
        page.NextToken.Should().Be("t2");
    }

    [Fact]
    public async Task ListAllClustersAsync_SeveralPages_FollowsNextTokenToTheEnd()
    {
        Handler.Respond(HttpStatusCode.OK, """{"clusters":[{"identifier":"a","arn":"x"},{"identifier":"b","arn":"y"}],"nextToken":"p2"}""")
            .Respond(HttpStatusCode.OK, """{"clusters":[{"identifier":"c","arn":"z"}]}""");

        var all = new List<string>();
        await foreach (var c in Client().ListAllClustersAsync(pageSize: 2))
        {
            all.Add(c.Identifier);
        }

        all.Should().Equal("a", "b", "c");
        Handler.Requests.Select(r => r.Uri.PathAndQuery).Should().Equal("/cluster?max-results=2", "/cluster?max-results=2&next-token=p2");
    }

    [Fact]
    public async Task TagResourceAsync_Arn_IsPercentEncodedAsOnePathSegment()
    {
        Handler.Respond(HttpStatusCode.OK, "{}");
        await Client().TagResourceAsync(new TagResourceRequest
        {
            ResourceArn = "arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz",
            Tags = new Dictionary<string, string> { ["env"] = "prod" },
        });

        var sent = Handler.Requests.Single();
        sent.Method.Should().Be(HttpMethod.Post);
        sent.Uri.AbsolutePath.Should().Be("/tags/arn%3Aaws%3Adsql%3Aus-east-1%3A123456789012%3Acluster%2Fabcdefghijklmnopqrstuvwxyz");
        sent.Body.Should().Be("""{"tags":{"env":"prod"}}""");
    }

    [Fact]
    public async Task UntagResourceAsync_SeveralKeys_RepeatsTagKeysQuery()
    {
        Handler.Respond(HttpStatusCode.OK);
        await Client().UntagResourceAsync(new UntagResourceRequest { ResourceArn = "arn:aws:dsql:us-east-1:123456789012:cluster/abc", TagKeys = ["b", "a"] });

        var sent = Handler.Requests.Single();
        sent.Method.Should().Be(HttpMethod.Delete);
        sent.Uri.Query.Should().Be("?tagKeys=a&tagKeys=b");
    }

    [Fact]
    public async Task ListTagsForResourceAsync_Arn_ParsesTagMap()
    {
        Handler.Respond(HttpStatusCode.OK, """{"tags":{"a":"1","b":""}}""");
        var tags = await Client().ListTagsForResourceAsync("arn:aws:dsql:us-east-1:123456789012:cluster/abc");

        Handler.Requests.Single().Method.Should().Be(HttpMethod.Get);
        tags.Tags.Should().BeEquivalentTo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "" });
    }

    [Fact]
    public async Task GetClusterAsync_AnyCall_IsSigV4SignedForDsqlInTheClientRegionAtTheClockTime()
    {
        Handler.Respond(HttpStatusCode.OK, ClusterJson);
        await Client().GetClusterAsync("abcdefghijklmnopqrstuvwxyz");

        var headers = Handler.Requests.Single().Headers;
        headers["X-Amz-Date"].Should().Be("20261126T120000Z");
        headers["Authorization"].Should().StartWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/20261126/us-east-1/dsql/aws4_request, SignedHeaders=")
            .And.Contain("host").And.Contain("x-amz-date").And.MatchRegex("Signature=[0-9a-f]{64}$");
        headers.Should().NotContainKey("X-Amz-Security-Token");
    }

    [Fact]
    public async Task GetClusterAsync_SessionCredentials_SendsAndSignsSecurityToken()
    {
        Handler.Respond(HttpStatusCode.OK, ClusterJson);
        await Client(credentials: new SessionAWSCredentials("ASIATEST", "secret", "session-token")).GetClusterAsync("abcdefghijklmnopqrstuvwxyz");

        var headers = Handler.Requests.Single().Headers;
        headers["X-Amz-Security-Token"].Should().Be("session-token");
        headers["Authorization"].Should().Contain("x-amz-security-token");
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task GetClusterAsync_EmptyIdentifier_ThrowsNamingIdentifierAndSendsNothing(string? identifier)
    {
        var act = () => Client().GetClusterAsync(identifier!);
        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("identifier");
        Handler.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task GetClusterAsync_SuccessBodyNotTheShape_ThrowsInvalidResponse()
    {
        Handler.Respond(HttpStatusCode.OK, "<html>");
        var act = () => Client().GetClusterAsync("abcdefghijklmnopqrstuvwxyz");
        (await act.Should().ThrowAsync<Workflows.Core.Dsql.Exceptions.DsqlServiceException>()).Which.ErrorCode.Should().Be("InvalidResponse");
    }

    [Fact]
    public void Constructor_BadOptions_NamesTheOption()
    {
        var act = () => new DsqlClient("us-east-1", new DsqlClientOptions { MaxAttempts = 0 }, environment: _ => null);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("MaxAttempts");
    }
}
