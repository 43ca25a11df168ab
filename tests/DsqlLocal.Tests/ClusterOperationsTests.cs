using System.Net;
using System.Text.Json;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests;

public sealed class ClusterOperationsTests
{
    [Fact]
    public async Task CreateCluster_NoOptions_ReturnsCreatingClusterWithDefaults()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync();

        response.Status.Should().Be(HttpStatusCode.OK);
        response.Header("Content-Type").Should().StartWith("application/json");
        Guid.TryParse(response.Header("x-amzn-RequestId"), out _).Should().BeTrue();
        var json = response.Json;
        var id = json.GetProperty("identifier").GetString()!;
        id.Should().MatchRegex("^[a-z0-9]{26}$");
        json.GetProperty("arn").GetString().Should().Be($"arn:aws:dsql:us-east-1:123456789012:cluster/{id}");
        json.GetProperty("status").GetString().Should().Be("CREATING");
        json.GetProperty("deletionProtectionEnabled").GetBoolean().Should().BeTrue();
        json.GetProperty("endpoint").GetString().Should().Be($"{id}.dsql.us-east-1.on.aws");
        json.GetProperty("creationTime").ValueKind.Should().Be(JsonValueKind.Number);
        json.GetProperty("creationTime").GetDouble().Should().Be(DsqlFixture.Epoch.ToUnixTimeSeconds());
        json.GetProperty("encryptionDetails").GetProperty("encryptionType").GetString().Should().Be("AWS_OWNED_KMS_KEY");
        json.GetProperty("encryptionDetails").GetProperty("encryptionStatus").GetString().Should().Be("ENABLED");
        json.TryGetProperty("multiRegionProperties", out _).Should().BeFalse();
    }

    [Fact]
    public async Task CreateCluster_KmsKeyGiven_ReportsCustomerManagedKey()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var json = await dsql.CreateOkAsync("""{"kmsEncryptionKey":"1234abcd-12ab-34cd-56ef-1234567890ab"}""");

        var encryption = json.GetProperty("encryptionDetails");
        encryption.GetProperty("encryptionType").GetString().Should().Be("CUSTOMER_MANAGED_KMS_KEY");
        encryption.GetProperty("kmsKeyArn").GetString().Should().Be("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab");
    }

    [Fact]
    public async Task CreateCluster_SameSeed_GivesSameIdentifiers()
    {
        await using var first = await DsqlFixture.StartAsync(o => o.Seed = 42);
        await using var second = await DsqlFixture.StartAsync(o => o.Seed = 42);

        var a = (await first.CreateOkAsync()).GetProperty("identifier").GetString();
        var b = (await second.CreateOkAsync()).GetProperty("identifier").GetString();

        a.Should().Be(b);
    }

    [Fact]
    public async Task GetCluster_AfterProvisioningTime_IsActive()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync("""{"tags":{"Name":"orders"}}""")).GetProperty("identifier").GetString()!;

        dsql.Advance(TimeSpan.FromSeconds(119));
        (await dsql.StatusAsync(id)).Should().Be("CREATING");
        dsql.Advance(TimeSpan.FromSeconds(1));
        var response = await dsql.GetAsync(id);

        response.String("status").Should().Be("ACTIVE");
        response.Json.GetProperty("tags").GetProperty("Name").GetString().Should().Be("orders");
        response.Json.GetProperty("encryptionDetails").GetProperty("encryptionType").GetString().Should().Be("AWS_OWNED_KMS_KEY");
        response.String("endpoint").Should().Be($"{id}.dsql.us-east-1.on.aws");
    }

    [Fact]
    public async Task GetCluster_TimeScale_DividesProvisioningTime()
    {
        await using var dsql = await DsqlFixture.StartAsync(o =>
        {
            o.ProvisioningTime = TimeSpan.FromSeconds(120);
            o.TimeScale = 60;
        });
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;

        dsql.Advance(TimeSpan.FromSeconds(2));

        (await dsql.StatusAsync(id)).Should().Be("ACTIVE");
    }

    [Fact]
    public async Task GetCluster_OtherRegion_ReturnsResourceNotFound()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;

        var response = await dsql.GetAsync(id, "eu-west-1");

        response.Status.Should().Be(HttpStatusCode.NotFound);
        response.ErrorType.Should().Be("ResourceNotFoundException");
        response.String("__type").Should().Be("ResourceNotFoundException");
        response.String("resourceId").Should().Be(id);
        response.String("resourceType").Should().Be("cluster");
    }

    [Fact]
    public async Task UpdateCluster_DeletionProtectionOff_TakesEffectAtOnce()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;

        var update = await dsql.UpdateAsync(id, """{"deletionProtectionEnabled":false}""");

        update.Status.Should().Be(HttpStatusCode.OK);
        update.String("identifier").Should().Be(id);
        update.String("arn").Should().EndWith(id);
        update.Json.GetProperty("creationTime").ValueKind.Should().Be(JsonValueKind.Number);
        (await dsql.GetAsync(id)).Json.GetProperty("deletionProtectionEnabled").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public async Task UpdateCluster_KmsKey_SwitchesEncryptionAndBack()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;

        await dsql.UpdateAsync(id, """{"kmsEncryptionKey":"arn:aws:kms:us-east-1:123456789012:key/abc"}""");
        var customer = (await dsql.GetAsync(id)).Json.GetProperty("encryptionDetails");
        await dsql.UpdateAsync(id, """{"kmsEncryptionKey":"AWS_OWNED_KMS_KEY"}""");
        var owned = (await dsql.GetAsync(id)).Json.GetProperty("encryptionDetails");

        customer.GetProperty("kmsKeyArn").GetString().Should().Be("arn:aws:kms:us-east-1:123456789012:key/abc");
        owned.GetProperty("encryptionType").GetString().Should().Be("AWS_OWNED_KMS_KEY");
    }

    [Fact]
    public async Task DeleteCluster_DeletionProtectionEnabled_ReturnsValidationException()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;

        var response = await dsql.DeleteAsync(id);

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.ErrorType.Should().Be("ValidationException");
        response.String("reason").Should().Be("deletionProtectionEnabled");
        response.String("message").Should().Contain("UpdateCluster");
        (await dsql.StatusAsync(id)).Should().Be("CREATING");
    }

    [Fact]
    public async Task DeleteCluster_Unprotected_DeletesThenDisappears()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync("""{"deletionProtectionEnabled":false}""")).GetProperty("identifier").GetString()!;
        dsql.Advance(TimeSpan.FromMinutes(3));

        var delete = await dsql.DeleteAsync(id);
        delete.Status.Should().Be(HttpStatusCode.OK, delete.ToString());
        delete.String("status").Should().Be("DELETING");
        dsql.Advance(TimeSpan.FromSeconds(29));
        (await dsql.StatusAsync(id)).Should().Be("DELETING");
        dsql.Advance(TimeSpan.FromSeconds(1));

        var gone = await dsql.GetAsync(id);
        gone.Status.Should().Be(HttpStatusCode.NotFound);
        gone.ErrorType.Should().Be("ResourceNotFoundException");
        gone.String("resourceType").Should().Be("cluster");
        (await dsql.ListAsync()).Json.GetProperty("clusters").GetArrayLength().Should().Be(0);
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task DeleteCluster_ZeroDeletionTime_AnswersDeletingThenClusterIsGone()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.DeletionTime = TimeSpan.Zero);
        var id = (await dsql.CreateOkAsync("""{"deletionProtectionEnabled":false}""")).GetProperty("identifier").GetString()!;

        var delete = await dsql.DeleteAsync(id);

        delete.Status.Should().Be(HttpStatusCode.OK, delete.ToString());
        delete.String("status").Should().Be("DELETING");
        (await dsql.GetAsync(id)).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeleteCluster_WhileDeleting_ReturnsConflict()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync("""{"deletionProtectionEnabled":false}""")).GetProperty("identifier").GetString()!;
        (await dsql.DeleteAsync(id)).Status.Should().Be(HttpStatusCode.OK);

        var again = await dsql.DeleteAsync(id);

        again.Status.Should().Be(HttpStatusCode.Conflict);
        again.ErrorType.Should().Be("ConflictException");
        again.String("resourceId").Should().Be(id);
        again.String("resourceType").Should().Be("cluster");
    }

    [Fact]
    public async Task UpdateCluster_WhileDeleting_ReturnsConflict()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync("""{"deletionProtectionEnabled":false}""")).GetProperty("identifier").GetString()!;
        (await dsql.DeleteAsync(id)).Status.Should().Be(HttpStatusCode.OK);

        var update = await dsql.UpdateAsync(id, """{"deletionProtectionEnabled":true}""");

        update.Status.Should().Be(HttpStatusCode.Conflict);
        update.ErrorType.Should().Be("ConflictException");
    }

    [Fact]
    public async Task ListClusters_MoreThanOnePage_PagesInCreationOrder()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!);
        }

        await dsql.CreateOkAsync(region: "eu-west-1");

        var listed = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await dsql.ListAsync(maxResults: 2, nextToken: token);
            page.Status.Should().Be(HttpStatusCode.OK, page.ToString());
            var clusters = page.Json.GetProperty("clusters");
            clusters.GetArrayLength().Should().BeLessThanOrEqualTo(2);
            listed.AddRange(clusters.EnumerateArray().Select(c => c.GetProperty("identifier").GetString()!));
            token = page.Json.TryGetProperty("nextToken", out var next) ? next.GetString() : null;
            pages++;
        }
        while (token is not null);

        pages.Should().Be(3);
        listed.Should().Equal(created);
    }

    [Fact]
    public async Task ListClusters_DefaultPageSize_IsTwenty()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.SingleRegionQuota = 25);
        for (var i = 0; i < 21; i++)
        {
            await dsql.CreateOkAsync();
        }

        var page = await dsql.ListAsync();

        page.Json.GetProperty("clusters").GetArrayLength().Should().Be(20);
        page.Json.GetProperty("clusters")[0].GetProperty("arn").GetString().Should().StartWith("arn:aws:dsql:us-east-1:");
        page.Json.TryGetProperty("nextToken", out _).Should().BeTrue();
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("ten")]
    public async Task ListClusters_BadMaxResults_ReturnsValidationException(string maxResults)
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.SendAsync(new SignedRequest { ResourcePath = "/cluster", Query = [new("max-results", maxResults)] });

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.String("reason").Should().Be("fieldValidationFailed");
        response.Json.GetProperty("fieldList")[0].GetProperty("name").GetString().Should().Be("maxResults");
    }

    [Fact]
    public async Task ListClusters_BadNextToken_ReturnsValidationException()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.ListAsync(nextToken: "not-a-token");

        response.Status.Should().Be(HttpStatusCode.BadRequest);
        response.Json.GetProperty("fieldList")[0].GetProperty("name").GetString().Should().Be("nextToken");
    }

    [Fact]
    public async Task CreateCluster_SameClientTokenTwice_CreatesOneClusterAndRepeatsAnswer()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        const string body = """{"clientToken":"run-1/step-create","tags":{"a":"b"}}""";

        var first = await dsql.CreateAsync(body);
        dsql.Advance(TimeSpan.FromMinutes(5));
        var second = await dsql.CreateAsync("""{"tags":{"a":"b"},"clientToken":"run-1/step-create"}""");

        first.Status.Should().Be(HttpStatusCode.OK);
        second.Status.Should().Be(HttpStatusCode.OK);
        second.Body.Should().Be(first.Body);
        dsql.Server.GetClusters().Should().HaveCount(1);
    }

    [Fact]
    public async Task CreateCluster_SameClientTokenDifferentRequest_ReturnsConflict()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        await dsql.CreateOkAsync("""{"clientToken":"tok-1"}""");

        var response = await dsql.CreateAsync("""{"clientToken":"tok-1","deletionProtectionEnabled":false}""");

        response.Status.Should().Be(HttpStatusCode.Conflict);
        response.ErrorType.Should().Be("ConflictException");
        response.String("message").Should().Contain("different");
        response.Json.TryGetProperty("resourceId", out _).Should().BeFalse("a create conflict names no resource: " + response.Body);
        dsql.Server.GetClusters().Should().HaveCount(1);
    }

    [Fact]
    public async Task CreateCluster_SameClientTokenOtherRegion_IsIndependent()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        await dsql.CreateOkAsync("""{"clientToken":"tok-1"}""");

        await dsql.CreateOkAsync("""{"clientToken":"tok-1"}""", "us-east-2");

        dsql.Server.GetClusters().Should().HaveCount(2);
    }

    [Fact]
    public async Task UpdateCluster_SameClientTokenTwice_RepeatsAnswerAndDifferentRequestConflicts()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;

        var first = await dsql.UpdateAsync(id, """{"clientToken":"u1","deletionProtectionEnabled":false}""");
        var replay = await dsql.UpdateAsync(id, """{"clientToken":"u1","deletionProtectionEnabled":false}""");
        var conflict = await dsql.UpdateAsync(id, """{"clientToken":"u1","deletionProtectionEnabled":true}""");

        replay.Body.Should().Be(first.Body);
        conflict.Status.Should().Be(HttpStatusCode.Conflict);
        conflict.String("resourceId").Should().Be(id);
    }

    [Fact]
    public async Task DeleteCluster_SameClientTokenTwice_RepeatsAnswerInsteadOfConflict()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync("""{"deletionProtectionEnabled":false}""")).GetProperty("identifier").GetString()!;

        var first = await dsql.DeleteAsync(id, clientToken: "d1");
        var replay = await dsql.DeleteAsync(id, clientToken: "d1");

        first.Status.Should().Be(HttpStatusCode.OK);
        replay.Status.Should().Be(HttpStatusCode.OK);
        replay.Body.Should().Be(first.Body);
    }

    [Fact]
    public async Task CreateCluster_SingleRegionQuotaReached_ReturnsServiceQuotaExceeded()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.SingleRegionQuota = 2);
        await dsql.CreateOkAsync();
        await dsql.CreateOkAsync();

        var response = await dsql.CreateAsync();
        var otherRegion = await dsql.CreateAsync(region: "us-west-2");

        response.Status.Should().Be((HttpStatusCode)402);
        response.ErrorType.Should().Be("ServiceQuotaExceededException");
        response.String("serviceCode").Should().Be("dsql");
        response.String("resourceType").Should().Be("cluster");
        response.Json.GetProperty("quotaCode").GetString().Should().NotBeNullOrEmpty();
        response.Json.GetProperty("resourceId").GetString().Should().NotBeNull();
        response.String("message").Should().Be("You have reached the cluster limit.", "the user guide's quota table gives this message");
        otherRegion.Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CreateCluster_MultiRegionQuotaReached_ReturnsServiceQuotaExceeded()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.MultiRegionQuota = 1);
        await dsql.CreateOkAsync("""{"multiRegionProperties":{"witnessRegion":"us-west-2"}}""");

        var response = await dsql.CreateAsync("""{"multiRegionProperties":{"witnessRegion":"us-west-2"}}""");
        var single = await dsql.CreateAsync();

        response.Status.Should().Be((HttpStatusCode)402);
        response.ErrorType.Should().Be("ServiceQuotaExceededException");
        response.String("message").Should().Be("You have reached the cluster limit.");
        single.Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CreateCluster_QuotaFreedByDeletion_AllowsNewCluster()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.SingleRegionQuota = 1);
        var id = (await dsql.CreateOkAsync("""{"deletionProtectionEnabled":false}""")).GetProperty("identifier").GetString()!;
        await dsql.DeleteAsync(id);
        (await dsql.CreateAsync()).Status.Should().Be((HttpStatusCode)402);

        dsql.Advance(TimeSpan.FromSeconds(30));

        (await dsql.CreateAsync()).Status.Should().Be(HttpStatusCode.OK);
    }
}
