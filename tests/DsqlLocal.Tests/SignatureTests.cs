using System.Net;
using System.Text;
using DsqlLocal.Auth;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests;

public sealed class SignatureTests
{
    private const string MismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

    [Fact]
    public async Task AnyOperation_NoAuthorization_ReturnsMissingAuthenticationToken()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        using var message = new SignedRequest().Build(dsql.Server.BaseAddress, dsql.Time.GetUtcNow());
        message.Headers.Remove("Authorization");

        var response = await dsql.SendRawAsync(message);

        AssertForbidden(response, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }

    [Fact]
    public async Task AnyOperation_UnknownAccessKey_ReturnsUnrecognizedClient()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.SendAsync(new SignedRequest { AccessKeyId = "AKIAUNKNOWNKEY000000" });

        AssertForbidden(response, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    [Fact]
    public async Task AnyOperation_WrongSecret_ReturnsInvalidSignature()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.SendAsync(new SignedRequest { SecretAccessKey = "not-the-secret" });

        AssertForbidden(response, "InvalidSignatureException", MismatchMessage);
    }

    [Fact]
    public async Task CreateCluster_BodyTamperedAfterSigning_ReturnsInvalidSignatureAndCreatesNothing()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        using var message = new SignedRequest { Method = "POST", Body = """{"deletionProtectionEnabled":true}""" }
            .Build(dsql.Server.BaseAddress, dsql.Time.GetUtcNow());
        message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"deletionProtectionEnabled":false}"""));
        message.Content.Headers.ContentType = new("application/json");

        var response = await dsql.SendRawAsync(message);

        response.Status.Should().Be(HttpStatusCode.Forbidden);
        response.ErrorType.Should().Be("InvalidSignatureException");
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task CreateCluster_BodyTamperedWithoutPayloadHashHeader_ReturnsInvalidSignature()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        using var message = new SignedRequest { Method = "POST", Body = """{"tags":{"a":"1"}}""" }
            .Build(dsql.Server.BaseAddress, dsql.Time.GetUtcNow());
        message.Headers.Remove("X-Amz-Content-SHA256");
        message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"tags":{"a":"2"}}"""));
        message.Content.Headers.ContentType = new("application/json");

        var response = await dsql.SendRawAsync(message);

        AssertForbidden(response, "InvalidSignatureException", MismatchMessage);
    }

    [Fact]
    public async Task GetCluster_PathTamperedAfterSigning_ReturnsInvalidSignature()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        using var message = new SignedRequest { ResourcePath = "/cluster/aaaaaaaaaaaaaaaaaaaaaaaaaa" }
            .Build(dsql.Server.BaseAddress, dsql.Time.GetUtcNow());
        message.RequestUri = new Uri(dsql.Server.BaseAddress, "/cluster/bbbbbbbbbbbbbbbbbbbbbbbbbb");

        var response = await dsql.SendRawAsync(message);

        AssertForbidden(response, "InvalidSignatureException", MismatchMessage);
    }

    [Fact]
    public async Task ListClusters_QueryTamperedAfterSigning_ReturnsInvalidSignature()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        using var message = new SignedRequest { Query = [new("max-results", "5")] }.Build(dsql.Server.BaseAddress, dsql.Time.GetUtcNow());
        message.RequestUri = new Uri(dsql.Server.BaseAddress, "/cluster?max-results=6");

        var response = await dsql.SendRawAsync(message);

        AssertForbidden(response, "InvalidSignatureException", MismatchMessage);
    }

    [Fact]
    public async Task AnyOperation_SignedMoreThanFiveMinutesAgo_ReturnsSignatureExpired()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.SendAsync(new SignedRequest { SigningTime = dsql.Time.GetUtcNow().UtcDateTime.AddMinutes(-6) });

        AssertForbidden(response, "InvalidSignatureException", "Signature expired: 20251231T235400Z is now earlier than 20251231T235500Z (20260101T000000Z - 5 min.)");
    }

    [Fact]
    public async Task AnyOperation_ClockAdvancedPastSignature_ReturnsSignatureExpired()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        using var message = new SignedRequest().Build(dsql.Server.BaseAddress, dsql.Time.GetUtcNow());
        dsql.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var response = await dsql.SendRawAsync(message);

        response.Status.Should().Be(HttpStatusCode.Forbidden);
        response.String("message").Should().StartWith("Signature expired: ");
    }

    [Fact]
    public async Task AnyOperation_SignedInTheFuture_ReturnsSignatureNotYetCurrent()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.SendAsync(new SignedRequest { SigningTime = dsql.Time.GetUtcNow().UtcDateTime.AddMinutes(6) });

        response.Status.Should().Be(HttpStatusCode.Forbidden);
        response.ErrorType.Should().Be("InvalidSignatureException");
        response.String("message").Should().StartWith("Signature not yet current: ");
    }

    [Fact]
    public async Task AnyOperation_SignedFourMinutesAgo_IsAccepted()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.SendAsync(new SignedRequest { SigningTime = dsql.Time.GetUtcNow().UtcDateTime.AddMinutes(-4) });

        response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
    }

    [Fact]
    public async Task AnyOperation_ScopedToOtherService_ReturnsInvalidSignatureNamingDsql()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.SendAsync(new SignedRequest { Service = "rds" });

        response.Status.Should().Be(HttpStatusCode.Forbidden);
        response.ErrorType.Should().Be("InvalidSignatureException");
        response.String("message").Should().Contain("'dsql'");
    }

    [Fact]
    public async Task AnyOperation_InvalidRegionInScope_ReturnsValidationException()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.SendAsync(new SignedRequest { Region = "moon" });

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.ErrorType.Should().Be("ValidationException");
        response.String("message").Should().Contain("moon");
    }

    [Fact]
    public async Task AnyOperation_SessionTokenPresent_IsAccepted()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.SendAsync(new SignedRequest { SessionToken = "FwoGZXIvYXdzEJr//////////session+token=" });

        response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
    }

    [Fact]
    public async Task AnyOperation_ConfiguredExtraKey_IsAccepted()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.AccessKeys.Add(new AccessKeyPair("AKIASECONDKEY0000000", "second-secret")));

        var response = await dsql.SendAsync(new SignedRequest { AccessKeyId = "AKIASECONDKEY0000000", SecretAccessKey = "second-secret" });

        response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
    }

    [Fact]
    public async Task AdminHealth_NoSignature_IsServed()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.Client.GetAsync(new Uri("/_dsql-local/health", UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ListTagsForResource_ArnPercentEncodedInPath_AcceptsDoubleEncodedSignature()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync()).GetProperty("arn").GetString()!;
        using var message = new SignedRequest { ResourcePath = "/tags/{resourceArn}", PathResources = { ["{resourceArn}"] = arn } }
            .Build(dsql.Server.BaseAddress, dsql.Time.GetUtcNow());

        message.RequestUri!.OriginalString.Should().Contain("arn%3Aaws%3Adsql%3Aus-east-1%3A123456789012%3Acluster%2F");
        var response = await dsql.SendRawAsync(message);

        response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
    }

    [Fact]
    public async Task AnyOperation_MalformedAuthorization_ReturnsIncompleteSignature()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        using var message = new SignedRequest().Build(dsql.Server.BaseAddress, dsql.Time.GetUtcNow());
        message.Headers.Remove("Authorization");
        message.Headers.TryAddWithoutValidation("Authorization", "AWS4-HMAC-SHA256 Credential=AKIADSQLLOCALEXAMPLE/20260101/us-east-1/dsql/aws4_request");

        var response = await dsql.SendRawAsync(message);

        response.Status.Should().Be(HttpStatusCode.Forbidden);
        response.ErrorType.Should().Be("IncompleteSignatureException");
    }

    [Fact]
    public void CanonicalUri_EncodedArnSegment_IsEncodedAgain()
    {
        SigV4Verifier.CanonicalUri("/tags/arn%3Aaws%3Adsql%3Aus-east-1%3A123456789012%3Acluster%2Fabc")
            .Should().Be("/tags/arn%253Aaws%253Adsql%253Aus-east-1%253A123456789012%253Acluster%252Fabc");
    }

    [Fact]
    public void CanonicalQuery_RepeatedAndEncodedKeys_SortsByKeyThenValue()
    {
        SigV4Verifier.CanonicalQuery("tagKeys=b&tagKeys=a%20b&max-results=5&tagKeys=a")
            .Should().Be("max-results=5&tagKeys=a&tagKeys=a%20b&tagKeys=b");
    }

    private static void AssertForbidden(DsqlResponse response, string errorType, string message)
    {
        response.Status.Should().Be(HttpStatusCode.Forbidden, response.ToString());
        response.ErrorType.Should().Be(errorType);
        response.String("__type").Should().Be(errorType);
        response.String("message").Should().Be(message);
    }
}
