using System.Net;
using System.Text.Json;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests;

/// <summary>The model's cluster policy, stream and VPC endpoint operations.</summary>
public sealed class PolicyAndStreamTests
{
    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"dsql:*","Resource":"*"}]}""";
    private const string Lockout = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"dsql:*","Resource":"*"}]}""";
    private const string Target = """{"kinesis":{"streamArn":"arn:aws:kinesis:us-east-1:123456789012:stream/changes","roleArn":"arn:aws:iam::123456789012:role/dsql-cdc"}}""";

    [Fact]
    public async Task PutClusterPolicy_ThenGetAndDelete_VersionsAdvance()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = await ServiceStatesTests.ActiveClusterAsync(dsql);

        var first = await PutPolicyAsync(dsql, id, Policy);
        var second = await PutPolicyAsync(dsql, id, Policy, expectedVersion: "1");
        var get = await Send(dsql, "GET", "/cluster/{identifier}/policy", id);
        var delete = await Send(dsql, "DELETE", "/cluster/{identifier}/policy", id);
        var afterDelete = await Send(dsql, "GET", "/cluster/{identifier}/policy", id);

        first.Status.Should().Be(HttpStatusCode.OK, first.ToString());
        first.String("policyVersion").Should().Be("1");
        second.String("policyVersion").Should().Be("2");
        get.String("policy").Should().Be(Policy);
        get.String("policyVersion").Should().Be("2");
        delete.String("policyVersion").Should().Be("2");
        afterDelete.Status.Should().Be(HttpStatusCode.NotFound);
        afterDelete.ErrorType.Should().Be("ResourceNotFoundException");
    }

    [Fact]
    public async Task CreateCluster_WithPolicy_GetClusterPolicyReturnsIt()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var created = await dsql.CreateOkAsync(JsonSerializer.Serialize(new { policy = Policy }));

        var get = await Send(dsql, "GET", "/cluster/{identifier}/policy", created.GetProperty("identifier").GetString()!);

        get.Status.Should().Be(HttpStatusCode.OK, get.ToString());
        get.String("policy").Should().Be(Policy);
        get.String("policyVersion").Should().Be("1");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"Statement":[]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Principal":"*","Action":"dsql:*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dsql:*"}]}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*"}]}""")]
    [InlineData("""{"Version":"2020-01-01","Statement":[{"Effect":"Allow","Principal":"*","Action":"dsql:*"}]}""")]
    public async Task PutClusterPolicy_InvalidDocument_ReturnsValidationNamingPolicy(string policy)
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = await ServiceStatesTests.ActiveClusterAsync(dsql);

        var put = await PutPolicyAsync(dsql, id, policy);

        put.Status.Should().Be(HttpStatusCode.BadRequest, put.ToString());
        put.Json.GetProperty("fieldList")[0].GetProperty("name").GetString().Should().Be("policy");
    }

    [Fact]
    public async Task PutClusterPolicy_MissingPolicy_ReturnsValidationNamingPolicy()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = await ServiceStatesTests.ActiveClusterAsync(dsql);

        var put = await Send(dsql, "POST", "/cluster/{identifier}/policy", id, "{}");

        put.Status.Should().Be(HttpStatusCode.BadRequest);
        put.String("message").Should().Contain("Value null at 'policy'");
    }

    [Fact]
    public async Task PutClusterPolicy_LockoutWithoutBypass_RefusedAndWithBypassApplied()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = await ServiceStatesTests.ActiveClusterAsync(dsql);

        var refused = await PutPolicyAsync(dsql, id, Lockout);
        var bypassed = await PutPolicyAsync(dsql, id, Lockout, bypass: true);

        refused.Status.Should().Be(HttpStatusCode.BadRequest, refused.ToString());
        refused.String("message").Should().Contain("bypassPolicyLockoutSafetyCheck");
        bypassed.Status.Should().Be(HttpStatusCode.OK, bypassed.ToString());
    }

    [Fact]
    public async Task PutClusterPolicy_WrongExpectedVersion_ReturnsConflict()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = await ServiceStatesTests.ActiveClusterAsync(dsql);
        await PutPolicyAsync(dsql, id, Policy);

        var put = await PutPolicyAsync(dsql, id, Policy, expectedVersion: "7");

        put.Status.Should().Be(HttpStatusCode.Conflict, put.ToString());
    }

    [Fact]
    public async Task CreateStream_ThenGetListDelete_FollowsStreamStatuses()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.UpdatingTime = TimeSpan.FromSeconds(10));
        var id = await ServiceStatesTests.ActiveClusterAsync(dsql);

        var created = await Send(dsql, "POST", "/stream/{clusterIdentifier}", id, $$$"""{"targetDefinition":{{{Target}}},"ordering":"UNORDERED","format":"JSON","tags":{"team":"data"}}""");
        created.Status.Should().Be(HttpStatusCode.OK, created.ToString());
        created.String("status").Should().Be("CREATING");
        var streamId = created.String("streamIdentifier");
        created.String("arn").Should().Be($"arn:aws:dsql:us-east-1:123456789012:cluster/{id}/stream/{streamId}");
        dsql.Advance(TimeSpan.FromSeconds(10));

        var get = await SendStream(dsql, "GET", id, streamId);
        get.String("status").Should().Be("ACTIVE");
        get.Json.GetProperty("targetDefinition").GetProperty("kinesis").GetProperty("roleArn").GetString().Should().Be("arn:aws:iam::123456789012:role/dsql-cdc");
        get.Json.GetProperty("tags").GetProperty("team").GetString().Should().Be("data");
        var list = await Send(dsql, "GET", "/stream/{clusterIdentifier}", id);
        list.Json.GetProperty("streams").EnumerateArray().Select(s => s.GetProperty("streamIdentifier").GetString()).Should().Equal(streamId);

        var delete = await SendStream(dsql, "DELETE", id, streamId);
        delete.String("status").Should().Be("DELETING");
        dsql.Advance(TimeSpan.FromSeconds(30));
        (await SendStream(dsql, "GET", id, streamId)).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreateStream_MissingRequiredMembers_NamesEachOne()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = await ServiceStatesTests.ActiveClusterAsync(dsql);

        var created = await Send(dsql, "POST", "/stream/{clusterIdentifier}", id, "{}");

        created.Status.Should().Be(HttpStatusCode.BadRequest);
        created.Json.GetProperty("fieldList").EnumerateArray().Select(f => f.GetProperty("name").GetString())
            .Should().BeEquivalentTo(["targetDefinition", "ordering", "format"]);
    }

    [Theory]
    [InlineData("""{"kinesis":{"streamArn":"arn:aws:kinesis:us-east-1:123456789012:stream/x","roleArn":"not-a-role"}}""", "UNORDERED", "targetDefinition.kinesis.roleArn")]
    [InlineData("""{"kinesis":{"streamArn":"arn:aws:kinesis:us-east-1:123456789012:stream/x","roleArn":"arn:aws:iam::123456789012:role/r"}}""", "ORDERED", "ordering")]
    [InlineData("""{}""", "UNORDERED", "targetDefinition")]
    public async Task CreateStream_InvalidMember_ReturnsValidationNamingIt(string target, string ordering, string field)
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = await ServiceStatesTests.ActiveClusterAsync(dsql);

        var created = await Send(dsql, "POST", "/stream/{clusterIdentifier}", id, $$$"""{"targetDefinition":{{{target}}},"ordering":"{{{ordering}}}","format":"JSON"}""");

        created.Status.Should().Be(HttpStatusCode.BadRequest, created.ToString());
        created.Json.GetProperty("fieldList")[0].GetProperty("name").GetString().Should().Be(field);
    }

    [Fact]
    public async Task GetVpcEndpointServiceName_ExistingCluster_MatchesTheModelPattern()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = await ServiceStatesTests.ActiveClusterAsync(dsql);

        var response = await Send(dsql, "GET", "/clusters/{identifier}/vpc-endpoint-service-name", id);

        response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
        response.String("serviceName").Should().MatchRegex(@"^com\.amazonaws\.us-east-1\.dsql-[a-f0-9]{6}$");
        response.String("clusterVpcEndpoint").Should().MatchRegex("^[a-zA-Z0-9.-]+$");
    }

    [Fact]
    public async Task GetVpcEndpointServiceName_UnknownCluster_Returns404()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await Send(dsql, "GET", "/clusters/{identifier}/vpc-endpoint-service-name", "aaaaaaaaaaaaaaaaaaaaaaaaaa");

        response.Status.Should().Be(HttpStatusCode.NotFound);
    }

    private static Task<DsqlResponse> PutPolicyAsync(DsqlFixture dsql, string id, string policy, string? expectedVersion = null, bool bypass = false) =>
        Send(dsql, "POST", "/cluster/{identifier}/policy", id, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["policy"] = policy,
            ["expectedPolicyVersion"] = expectedVersion,
            ["bypassPolicyLockoutSafetyCheck"] = bypass ? true : null,
        }));

    private static Task<DsqlResponse> Send(DsqlFixture dsql, string method, string path, string id, string? body = null)
    {
        var key = path.Contains("{clusterIdentifier}", StringComparison.Ordinal) ? "{clusterIdentifier}" : "{identifier}";
        return dsql.SendAsync(new SignedRequest { Method = method, ResourcePath = path, PathResources = { [key] = id }, Body = body });
    }

    private static Task<DsqlResponse> SendStream(DsqlFixture dsql, string method, string clusterId, string streamId) =>
        dsql.SendAsync(new SignedRequest
        {
            Method = method,
            ResourcePath = "/stream/{clusterIdentifier}/{streamIdentifier}",
            PathResources = { ["{clusterIdentifier}"] = clusterId, ["{streamIdentifier}"] = streamId },
        });
}
