using System.Net;
using System.Text;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests;

/// <summary>The statuses the service documents beyond CREATING/ACTIVE/DELETING, and what each one allows.</summary>
public sealed class ServiceStatesTests
{
    private const string Unprotected = """{"deletionProtectionEnabled":false}""";

    [Fact]
    public async Task UpdateCluster_ActiveCluster_AnswersUpdatingThenActiveAfterUpdatingTime()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.UpdatingTime = TimeSpan.FromSeconds(20));
        var id = await ActiveClusterAsync(dsql);

        var update = await dsql.UpdateAsync(id, """{"deletionProtectionEnabled":true}""");

        update.Status.Should().Be(HttpStatusCode.OK, update.ToString());
        update.String("status").Should().Be("UPDATING");
        (await dsql.StatusAsync(id)).Should().Be("UPDATING");
        (await dsql.GetAsync(id)).Json.GetProperty("deletionProtectionEnabled").GetBoolean().Should().BeTrue("protection changes take effect at once");
        dsql.Advance(TimeSpan.FromSeconds(19));
        (await dsql.StatusAsync(id)).Should().Be("UPDATING");
        dsql.Advance(TimeSpan.FromSeconds(1));
        (await dsql.StatusAsync(id)).Should().Be("ACTIVE");
    }

    [Fact]
    public async Task UpdateCluster_WhileUpdating_ReturnsConflictButDeleteIsAllowed()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.UpdatingTime = TimeSpan.FromSeconds(20));
        var id = await ActiveClusterAsync(dsql);
        (await dsql.UpdateAsync(id, Unprotected)).Status.Should().Be(HttpStatusCode.OK);

        var second = await dsql.UpdateAsync(id, """{"deletionProtectionEnabled":true}""");
        var delete = await dsql.DeleteAsync(id);

        second.Status.Should().Be(HttpStatusCode.Conflict, second.ToString());
        second.ErrorType.Should().Be("ConflictException");
        second.String("message").Should().Contain("UPDATING");
        delete.Status.Should().Be(HttpStatusCode.OK, delete.ToString());
        delete.String("status").Should().Be("DELETING");
    }

    [Fact]
    public async Task UpdateCluster_RefusedOperationsConfigured_FollowsTheConfiguration()
    {
        await using var dsql = await DsqlFixture.StartAsync(o =>
        {
            o.UpdatingTime = TimeSpan.FromSeconds(20);
            o.RefusedOperations["UPDATING"] = ["DeleteCluster"];
        });
        var id = await ActiveClusterAsync(dsql);
        (await dsql.UpdateAsync(id, Unprotected)).Status.Should().Be(HttpStatusCode.OK);

        var second = await dsql.UpdateAsync(id, Unprotected);
        var delete = await dsql.DeleteAsync(id);

        second.Status.Should().Be(HttpStatusCode.OK, second.ToString());
        delete.Status.Should().Be(HttpStatusCode.Conflict, delete.ToString());
    }

    [Fact]
    public async Task UpdateCluster_KmsKeyChange_EncryptionUpdatingThenEnabled()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.UpdatingTime = TimeSpan.FromSeconds(20));
        var created = await dsql.CreateOkAsync("""{"kmsEncryptionKey":"alias/mine"}""");
        var id = created.GetProperty("identifier").GetString()!;
        created.GetProperty("encryptionDetails").GetProperty("encryptionStatus").GetString().Should().Be("ENABLING");
        dsql.Advance(TimeSpan.FromSeconds(120));
        Encryption(await dsql.GetAsync(id)).Should().Be("ENABLED");

        (await dsql.UpdateAsync(id, """{"kmsEncryptionKey":"alias/other"}""")).Status.Should().Be(HttpStatusCode.OK);

        Encryption(await dsql.GetAsync(id)).Should().Be("UPDATING");
        dsql.Advance(TimeSpan.FromSeconds(20));
        Encryption(await dsql.GetAsync(id)).Should().Be("ENABLED");
    }

    [Fact]
    public async Task GetCluster_IdleTimesConfigured_GoesIdleThenInactive()
    {
        await using var dsql = await DsqlFixture.StartAsync(o =>
        {
            o.IdleAfter = TimeSpan.FromMinutes(30);
            o.InactiveAfter = TimeSpan.FromDays(7);
        });
        var id = await ActiveClusterAsync(dsql);

        dsql.Advance(TimeSpan.FromMinutes(29));
        (await dsql.StatusAsync(id)).Should().Be("ACTIVE");
        dsql.Advance(TimeSpan.FromMinutes(1));
        (await dsql.StatusAsync(id)).Should().Be("IDLE");
        dsql.Advance(TimeSpan.FromDays(7));
        (await dsql.StatusAsync(id)).Should().Be("INACTIVE");
    }

    [Fact]
    public async Task Connect_InactiveCluster_ReactivatesAfterReactivationTime()
    {
        await using var dsql = await DsqlFixture.StartAsync(o =>
        {
            o.IdleAfter = TimeSpan.FromMinutes(30);
            o.InactiveAfter = TimeSpan.FromHours(2);
            o.ReactivationTime = TimeSpan.FromSeconds(45);
        });
        var id = await ActiveClusterAsync(dsql);
        dsql.Advance(TimeSpan.FromHours(3));

        var connect = await AdminAsync(dsql, HttpMethod.Post, $"/_dsql-local/clusters/{id}/connect");

        connect.Status.Should().Be(HttpStatusCode.OK, connect.ToString());
        (await dsql.StatusAsync(id)).Should().Be("INACTIVE");
        dsql.Advance(TimeSpan.FromSeconds(45));
        (await dsql.StatusAsync(id)).Should().Be("ACTIVE");
        dsql.Advance(TimeSpan.FromMinutes(30));
        (await dsql.StatusAsync(id)).Should().Be("IDLE");
        (await AdminAsync(dsql, HttpMethod.Post, $"/_dsql-local/clusters/{id}/connect")).Status.Should().Be(HttpStatusCode.OK);
        (await dsql.StatusAsync(id)).Should().Be("ACTIVE");
    }

    [Fact]
    public async Task DeleteCluster_InactivePair_DeletesBoth()
    {
        await using var dsql = await DsqlFixture.StartAsync(o =>
        {
            o.UpdatingTime = TimeSpan.Zero;
            o.IdleAfter = TimeSpan.FromMinutes(30);
            o.InactiveAfter = TimeSpan.FromHours(2);
        });
        var a = await dsql.CreateOkAsync("""{"multiRegionProperties":{"witnessRegion":"us-west-2"},"deletionProtectionEnabled":false}""");
        var aId = a.GetProperty("identifier").GetString()!;
        var b = await dsql.CreateOkAsync($$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{a.GetProperty("arn").GetString()}}}"]},"deletionProtectionEnabled":false}""", "us-east-2");
        var bId = b.GetProperty("identifier").GetString()!;
        (await dsql.UpdateAsync(aId, $$$"""{"multiRegionProperties":{"clusters":["{{{b.GetProperty("arn").GetString()}}}"]}}""")).Status.Should().Be(HttpStatusCode.OK);
        dsql.Advance(TimeSpan.FromDays(1));
        (await dsql.StatusAsync(aId)).Should().Be("INACTIVE");

        (await dsql.DeleteAsync(aId)).String("status").Should().Be("PENDING_DELETE");
        (await dsql.DeleteAsync(bId, "us-east-2")).String("status").Should().Be("DELETING");
        dsql.Advance(TimeSpan.FromSeconds(30));

        (await dsql.GetAsync(aId)).Status.Should().Be(HttpStatusCode.NotFound);
        (await dsql.GetAsync(bId, "us-east-2")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CreateCluster_CreateFailureInjected_CreatingThenFailed()
    {
        await using var dsql = await DsqlFixture.StartAsync(o =>
            o.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "CreateCluster", CreateFailureRate = 1 }] });

        var created = await dsql.CreateOkAsync(Unprotected);
        var id = created.GetProperty("identifier").GetString()!;

        created.GetProperty("status").GetString().Should().Be("CREATING");
        dsql.Advance(TimeSpan.FromSeconds(120));
        (await dsql.StatusAsync(id)).Should().Be("FAILED");
        (await dsql.UpdateAsync(id, """{"kmsEncryptionKey":"alias/mine"}""")).Status.Should().Be(HttpStatusCode.Conflict);
        (await dsql.DeleteAsync(id)).Status.Should().Be(HttpStatusCode.OK, "a failed cluster can still be deleted");
    }

    [Fact]
    public async Task UpdateCluster_FailedAndProtected_ProtectionOffAllowedSoItCanBeDeleted()
    {
        await using var dsql = await DsqlFixture.StartAsync(o =>
            o.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "CreateCluster", CreateFailureRate = 1 }] });
        var id = (await dsql.CreateOkAsync("""{"deletionProtectionEnabled":true}""")).GetProperty("identifier").GetString()!;
        dsql.Advance(TimeSpan.FromSeconds(120));
        (await dsql.StatusAsync(id)).Should().Be("FAILED");

        (await dsql.UpdateAsync(id, """{"deletionProtectionEnabled":false}""")).Status.Should().Be(HttpStatusCode.OK, "only the protection changes");
        (await dsql.DeleteAsync(id)).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task UpdateCluster_ProtectionOnlyRuleConfigured_RefusedOnFailedToo()
    {
        await using var dsql = await DsqlFixture.StartAsync(o =>
        {
            o.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "CreateCluster", CreateFailureRate = 1 }] };
            o.RefusedOperations["FAILED"] = ["UpdateCluster", DsqlLocal.Model.StatusRules.ProtectionOnly];
        });
        var id = (await dsql.CreateOkAsync("""{"deletionProtectionEnabled":true}""")).GetProperty("identifier").GetString()!;
        dsql.Advance(TimeSpan.FromSeconds(120));

        (await dsql.UpdateAsync(id, """{"deletionProtectionEnabled":false}""")).Status.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public void FaultRule_CreateFailureSpec_ParsesAndChecksTheRate()
    {
        FaultRule.Parse("op=CreateCluster,create-failure=0.25").CreateFailureRate.Should().Be(0.25);
        var bad = () => FaultRule.Parse("op=CreateCluster,create-failure=2");
        bad.Should().Throw<FormatException>().WithMessage("*create-failure*");
    }

    [Theory]
    [InlineData("IDLE")]
    [InlineData("INACTIVE")]
    [InlineData("UPDATING")]
    [InlineData("FAILED")]
    [InlineData("CREATING")]
    public async Task SetStatus_AdminPutsAnyStatus_GetClusterAnswersIt(string status)
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = await ActiveClusterAsync(dsql);

        var put = await AdminAsync(dsql, HttpMethod.Put, $"/_dsql-local/clusters/{id}/status", $$"""{"status":"{{status}}"}""");

        put.Status.Should().Be(HttpStatusCode.OK, put.ToString());
        put.Json.GetProperty("status").GetString().Should().Be(status);
        (await dsql.StatusAsync(id)).Should().Be(status);
        dsql.Advance(TimeSpan.FromDays(30));
        (await dsql.StatusAsync(id)).Should().Be(status, "a forced status without a duration holds");
        (await AdminAsync(dsql, HttpMethod.Delete, $"/_dsql-local/clusters/{id}/status")).Status.Should().Be(HttpStatusCode.OK);
        (await dsql.StatusAsync(id)).Should().Be("ACTIVE");
    }

    [Fact]
    public async Task SetStatus_WithDuration_LapsesBackToDerivedStatus()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = await ActiveClusterAsync(dsql);

        await AdminAsync(dsql, HttpMethod.Put, $"/_dsql-local/clusters/{id}/status", """{"status":"UPDATING","durationSeconds":60}""");

        (await dsql.StatusAsync(id)).Should().Be("UPDATING");
        (await dsql.UpdateAsync(id, Unprotected)).Status.Should().Be(HttpStatusCode.Conflict, "UPDATING refuses updates");
        dsql.Advance(TimeSpan.FromSeconds(60));
        (await dsql.StatusAsync(id)).Should().Be("ACTIVE");
    }

    [Fact]
    public async Task SetStatus_DeletingAndDeleted_FollowTheDeletionLifecycle()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var deleting = await ActiveClusterAsync(dsql);
        var deleted = await ActiveClusterAsync(dsql);

        await AdminAsync(dsql, HttpMethod.Put, $"/_dsql-local/clusters/{deleting}/status", """{"status":"DELETING"}""");
        await AdminAsync(dsql, HttpMethod.Put, $"/_dsql-local/clusters/{deleted}/status", """{"status":"DELETED"}""");

        (await dsql.StatusAsync(deleting)).Should().Be("DELETING");
        (await dsql.GetAsync(deleted)).Status.Should().Be(HttpStatusCode.NotFound);
        dsql.Advance(TimeSpan.FromSeconds(30));
        (await dsql.GetAsync(deleting)).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"status":"SLEEPING"}""")]
    [InlineData("""{"status":"IDLE","durationSeconds":-1}""")]
    [InlineData("""{"state":"IDLE"}""")]
    [InlineData("not json")]
    public async Task SetStatus_BadBody_Returns400(string body)
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = await ActiveClusterAsync(dsql);

        var put = await AdminAsync(dsql, HttpMethod.Put, $"/_dsql-local/clusters/{id}/status", body);

        put.Status.Should().Be(HttpStatusCode.BadRequest, put.ToString());
        (await dsql.StatusAsync(id)).Should().Be("ACTIVE");
    }

    [Fact]
    public async Task SetStatus_UnknownCluster_Returns404()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var put = await AdminAsync(dsql, HttpMethod.Put, "/_dsql-local/clusters/aaaaaaaaaaaaaaaaaaaaaaaaaa/status", """{"status":"IDLE"}""");

        put.Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AdminEndpoint_BodyOverLimit_Returns413AndKeepsSettings()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var huge = "{\"rules\":[],\"outages\":[]," + new string(' ', 70 * 1024) + "}";

        var put = await AdminAsync(dsql, HttpMethod.Put, "/_dsql-local/faults", huge);

        put.Status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    internal static async Task<string> ActiveClusterAsync(DsqlFixture dsql, string region = "us-east-1")
    {
        var created = await dsql.CreateOkAsync(Unprotected, region);
        dsql.Advance(dsql.Server.Options.ProvisioningTime);
        return created.GetProperty("identifier").GetString()!;
    }

    internal static async Task<DsqlResponse> AdminAsync(DsqlFixture dsql, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await dsql.SendRawAsync(request);
    }

    private static string? Encryption(DsqlResponse response) =>
        response.Json.GetProperty("encryptionDetails").GetProperty("encryptionStatus").GetString();
}
