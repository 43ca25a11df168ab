using System.Net;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests;

public sealed class RequestValidationTests
{
    [Fact]
    public async Task CreateCluster_MalformedJson_ReturnsCannotParse()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync("""{"tags": {"a": """);

        AssertValidation(response, "cannotParse");
    }

    [Fact]
    public async Task CreateCluster_BodyIsArray_ReturnsCannotParse()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        AssertValidation(await dsql.CreateAsync("[1,2]"), "cannotParse");
    }

    [Theory]
    [InlineData("""{"deletionProtectionEnabled":"yes"}""", "deletionProtectionEnabled", "boolean")]
    [InlineData("""{"tags":["a"]}""", "tags", "map")]
    [InlineData("""{"tags":{"a":1}}""", "tags.a", "string")]
    [InlineData("""{"clientToken":12}""", "clientToken", "string")]
    [InlineData("""{"multiRegionProperties":"us-west-2"}""", "multiRegionProperties", "structure")]
    [InlineData("""{"multiRegionProperties":{"witnessRegion":true}}""", "multiRegionProperties.witnessRegion", "string")]
    [InlineData("""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":"arn"}}""", "multiRegionProperties.clusters", "list")]
    [InlineData("""{"bogus":1}""", "bogus", "not a member of CreateClusterInput")]
    [InlineData("""{"multiRegionProperties":{"witness":"us-west-2"}}""", "multiRegionProperties.witness", "not a member")]
    public async Task CreateCluster_WrongTypeOrUnknownMember_NamesTheField(string body, string field, string messagePart)
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync(body);

        AssertField(response, field, messagePart);
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"clientToken":""}""", "clientToken", "length greater than or equal to 1")]
    [InlineData("""{"clientToken":"has space"}""", "clientToken", "regular expression pattern: [!-~]+")]
    [InlineData("""{"tags":{"bad!key":"v"}}""", "tags", "Map keys must satisfy constraint")]
    [InlineData("""{"tags":{"k":"bad#value"}}""", "tags", "Map value must satisfy constraint")]
    [InlineData("""{"kmsEncryptionKey":"not a key!"}""", "kmsEncryptionKey", "regular expression pattern: [a-zA-Z0-9:/_-]+")]
    [InlineData("""{"policy":""}""", "policy", "length greater than or equal to 1")]
    public async Task CreateCluster_ConstraintViolated_NamesFieldAndRule(string body, string field, string messagePart)
    {
        await using var dsql = await DsqlFixture.StartAsync();

        AssertField(await dsql.CreateAsync(body), field, messagePart);
    }

    [Fact]
    public async Task CreateCluster_ClientTokenTooLong_NamesLengthRule()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync($$"""{"clientToken":"{{new string('x', 129)}}"}""");

        AssertField(response, "clientToken", "Member must have length less than or equal to 128");
    }

    [Fact]
    public async Task CreateCluster_TagKeyAndValueTooLong_NamesLengthRules()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync($$$"""{"tags":{"{{{new string('k', 129)}}}":"{{{new string('v', 257)}}}"}}""");

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.String("message").Should().StartWith("2 validation errors detected: ");
        response.Json.GetProperty("fieldList").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task CreateCluster_PolicyTooLong_NamesPolicy()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync($$"""{"policy":"{{new string('p', 20481)}}"}""");

        AssertField(response, "policy", "length less than or equal to 20480");
    }

    [Fact]
    public async Task CreateCluster_BodyOverOneMebibyte_ReturnsValidationException()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync($$"""{"policy":"{{new string('p', 1024 * 1024)}}"}""");

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.ErrorType.Should().Be("ValidationException");
        response.String("message").Should().Contain("1 MiB");
    }

    [Theory]
    [InlineData("UPPERCASEIDENTIFIER0000000")]
    [InlineData("short")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0")]
    public async Task GetCluster_BadIdentifier_ReturnsAwsStyleMessage(string identifier)
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.GetAsync(identifier);

        AssertField(response, "identifier", "Member must satisfy regular expression pattern: [a-z0-9]{26}");
        response.String("message").Should().Be(
            $"1 validation error detected: Value '{identifier}' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z0-9]{{26}}");
    }

    [Fact]
    public async Task UpdateCluster_BadIdentifierAndBadType_ReportsBoth()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.UpdateAsync("nope", """{"deletionProtectionEnabled":"no"}""");

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.Json.GetProperty("fieldList").EnumerateArray().Select(f => f.GetProperty("name").GetString())
            .Should().BeEquivalentTo("identifier", "deletionProtectionEnabled");
    }

    [Fact]
    public async Task UpdateCluster_UnknownMember_NamesIt()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;

        AssertField(await dsql.UpdateAsync(id, """{"tags":{"a":"b"}}"""), "tags", "not a member of UpdateClusterInput");
    }

    [Fact]
    public async Task DeleteCluster_BadClientToken_NamesClientToken()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;

        AssertField(await dsql.DeleteAsync(id, clientToken: "bad token"), "clientToken", "pattern");
    }

    [Fact]
    public async Task UntagResource_BadKey_NamesTagKeys()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync()).GetProperty("arn").GetString()!;

        AssertField(await dsql.UntagAsync(arn, ["bad#key"]), "tagKeys.member", "Map keys must satisfy constraint");
    }

    [Fact]
    public async Task TagResource_NoTagsMember_ReportsMissingTags()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync()).GetProperty("arn").GetString()!;

        AssertField(await dsql.TagAsync(arn, "{}"), "tags", "must not be null");
    }

    [Theory]
    [InlineData("GET", "/clusters")]
    [InlineData("PUT", "/cluster")]
    [InlineData("PATCH", "/cluster/{identifier}")]
    [InlineData("GET", "/")]
    public async Task UnknownRoute_Signed_ReturnsUnknownOperation(string method, string path)
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.SendAsync(new SignedRequest
        {
            Method = method,
            ResourcePath = path,
            PathResources = path.Contains('{', StringComparison.Ordinal) ? new() { ["{identifier}"] = "aaaaaaaaaaaaaaaaaaaaaaaaaa" } : [],
        });

        AssertValidation(response, "unknownOperation");
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe }, "tags")]
    [InlineData(new byte[] { 0xff }, "clientToken")]
    [InlineData(new byte[] { 0xc3 }, "policy")]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 }, "kmsEncryptionKey")]
    public async Task CreateCluster_InvalidUtf8InString_ReturnsCannotParse(byte[] invalid, string member)
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var body = member == "tags"
            ? Concat("{\"tags\":{\"a\":\"", invalid, "\"}}")
            : Concat($"{{\"{member}\":\"", invalid, "\"}");

        var response = await dsql.SendAsync(new SignedRequest { Method = "POST", ResourcePath = "/cluster", BodyBytes = body });

        AssertValidation(response, "cannotParse");
        response.String("message").Should().Contain("UTF-8");
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Theory]
    [InlineData("""{"\ud800":1}""")]
    [InlineData("""{"clientToken":"\ud800"}""")]
    [InlineData("""{"tags":{"\udc00":"v"}}""")]
    [InlineData("""{"tags":{"k":"a\ud800"}}""")]
    [InlineData("""{"multiRegionProperties":{"clusters":["\udfff"]}}""")]
    public async Task CreateCluster_LoneSurrogateEscape_ReturnsCannotParse(string body)
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync(body);

        AssertValidation(response, "cannotParse");
        response.String("message").Should().Contain("surrogate");
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task UpdateCluster_InvalidUtf8OrLoneSurrogate_ReturnsCannotParse()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;

        var invalid = await dsql.SendAsync(new SignedRequest
        {
            Method = "POST",
            ResourcePath = "/cluster/{identifier}",
            PathResources = { ["{identifier}"] = id },
            BodyBytes = Concat("{\"clientToken\":\"", [0xff], "\"}"),
        });
        var surrogate = await dsql.UpdateAsync(id, """{"kmsEncryptionKey":"\ud800"}""");

        AssertValidation(invalid, "cannotParse");
        AssertValidation(surrogate, "cannotParse");
    }

    [Fact]
    public async Task TagResource_InvalidUtf8OrLoneSurrogate_ReturnsCannotParse()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync()).GetProperty("arn").GetString()!;

        var invalid = await dsql.SendAsync(new SignedRequest
        {
            Method = "POST",
            ResourcePath = "/tags/{resourceArn}",
            PathResources = { ["{resourceArn}"] = arn },
            BodyBytes = Concat("{\"tags\":{\"a\":\"", [0xff, 0xfe], "\"}}"),
        });
        var surrogate = await dsql.TagAsync(arn, """{"tags":{"\ud800":"v"}}""");

        AssertValidation(invalid, "cannotParse");
        AssertValidation(surrogate, "cannotParse");
        (await dsql.ListTagsAsync(arn)).Json.GetProperty("tags").EnumerateObject().Should().BeEmpty();
    }

    private static byte[] Concat(string before, byte[] middle, string after) =>
        [.. System.Text.Encoding.UTF8.GetBytes(before), .. middle, .. System.Text.Encoding.UTF8.GetBytes(after)];

    private static void AssertValidation(DsqlResponse response, string reason)
    {
        response.Status.Should().Be(HttpStatusCode.BadRequest, response.ToString());
        response.ErrorType.Should().Be("ValidationException");
        response.String("__type").Should().Be("ValidationException");
        response.String("reason").Should().Be(reason);
        response.String("message").Should().NotBeNullOrEmpty();
        response.Header("x-amzn-RequestId").Should().NotBeNullOrEmpty();
    }

    private static void AssertField(DsqlResponse response, string field, string messagePart)
    {
        AssertValidation(response, "fieldValidationFailed");
        var fields = response.Json.GetProperty("fieldList").EnumerateArray().ToList();
        fields.Should().Contain(f => f.GetProperty("name").GetString() == field, response.Body);
        fields.First(f => f.GetProperty("name").GetString() == field).GetProperty("message").GetString().Should().Contain(messagePart);
    }
}
