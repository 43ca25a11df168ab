using System.Net;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests;

public sealed class MultiRegionTests
{
    private const string Witness = """{"multiRegionProperties":{"witnessRegion":"us-west-2"}}""";

    [Fact]
    public async Task MultiRegionLifecycle_CreatePeerLinkDelete_FollowsDsqlStates()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        // 1. First cluster with a witness only: PENDING_SETUP, and time alone does not move it.
        var first = await dsql.CreateOkAsync("""{"multiRegionProperties":{"witnessRegion":"us-west-2"},"deletionProtectionEnabled":false}""");
        var firstId = first.GetProperty("identifier").GetString()!;
        var firstArn = first.GetProperty("arn").GetString()!;
        first.GetProperty("status").GetString().Should().Be("PENDING_SETUP");
        first.GetProperty("multiRegionProperties").GetProperty("witnessRegion").GetString().Should().Be("us-west-2");
        Arns(first).Should().Equal(firstArn); // FACTS: the create answers clusters [own arn]
        dsql.Advance(TimeSpan.FromHours(6));
        (await dsql.StatusAsync(firstId)).Should().Be("PENDING_SETUP");

        // 2. Peer in another Region listing the first: PENDING_SETUP until the back-link.
        var second = await dsql.CreateOkAsync(
            $$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{firstArn}}}"]},"deletionProtectionEnabled":false}""",
            "us-east-2");
        var secondId = second.GetProperty("identifier").GetString()!;
        var secondArn = second.GetProperty("arn").GetString()!;
        second.GetProperty("status").GetString().Should().Be("PENDING_SETUP");
        Arns(second).Should().BeEquivalentTo([secondArn, firstArn]);
        dsql.Advance(TimeSpan.FromHours(1));
        (await dsql.StatusAsync(secondId, "us-east-2")).Should().Be("PENDING_SETUP");
        (await dsql.StatusAsync(firstId)).Should().Be("PENDING_SETUP");

        // 3. Back-link from the first cluster's Region: both CREATING from now.
        var link = await dsql.UpdateAsync(firstId, $$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{secondArn}}}"]}}""");
        link.Status.Should().Be(HttpStatusCode.OK, link.ToString());
        link.String("status").Should().Be("UPDATING"); // FACTS: UpdateCluster answers UPDATING
        (await dsql.StatusAsync(firstId)).Should().Be("CREATING");
        (await dsql.StatusAsync(secondId, "us-east-2")).Should().Be("CREATING");
        Arns((await dsql.GetAsync(firstId)).Json).Should().BeEquivalentTo([firstArn, secondArn]);
        Arns((await dsql.GetAsync(secondId, "us-east-2")).Json).Should().BeEquivalentTo([firstArn, secondArn]);

        // Repeating the back-link changes nothing.
        var repeat = await dsql.UpdateAsync(firstId, $$$"""{"multiRegionProperties":{"clusters":["{{{secondArn}}}"]}}""");
        repeat.Status.Should().Be(HttpStatusCode.OK, repeat.ToString());

        // 4. After the provisioning time both are ACTIVE.
        dsql.Advance(TimeSpan.FromSeconds(119));
        (await dsql.StatusAsync(firstId)).Should().Be("CREATING");
        dsql.Advance(TimeSpan.FromSeconds(1));
        (await dsql.StatusAsync(firstId)).Should().Be("ACTIVE");
        (await dsql.StatusAsync(secondId, "us-east-2")).Should().Be("ACTIVE");

        // 5. Deleting one leaves it PENDING_DELETE while its peer lives, however long that takes.
        var deleteFirst = await dsql.DeleteAsync(firstId);
        deleteFirst.Status.Should().Be(HttpStatusCode.OK, deleteFirst.ToString());
        deleteFirst.String("status").Should().Be("PENDING_DELETE");
        dsql.Advance(TimeSpan.FromHours(2));
        (await dsql.StatusAsync(firstId)).Should().Be("PENDING_DELETE");
        (await dsql.StatusAsync(secondId, "us-east-2")).Should().Be("ACTIVE");

        // 6. Deleting the other: both DELETING, then both gone.
        var deleteSecond = await dsql.DeleteAsync(secondId, "us-east-2");
        deleteSecond.String("status").Should().Be("DELETING");
        (await dsql.StatusAsync(firstId)).Should().Be("DELETING");
        dsql.Advance(TimeSpan.FromSeconds(30));

        foreach (var (id, region) in new[] { (firstId, "us-east-1"), (secondId, "us-east-2") })
        {
            var gone = await dsql.GetAsync(id, region);
            gone.Status.Should().Be(HttpStatusCode.NotFound);
            gone.ErrorType.Should().Be("ResourceNotFoundException");
            gone.String("resourceType").Should().Be("cluster");
        }
    }

    [Fact]
    public async Task UpdateCluster_LinkFromFirstCluster_StartsBothWhenSecondLinksBack()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var a = await dsql.CreateOkAsync(Witness);
        var b = await dsql.CreateOkAsync(Witness, "eu-west-1");
        var aId = a.GetProperty("identifier").GetString()!;
        var bId = b.GetProperty("identifier").GetString()!;

        (await dsql.UpdateAsync(aId, $$$"""{"multiRegionProperties":{"clusters":["{{{b.GetProperty("arn").GetString()}}}"]}}""")).Status.Should().Be(HttpStatusCode.OK);
        (await dsql.StatusAsync(aId)).Should().Be("PENDING_SETUP");
        (await dsql.UpdateAsync(bId, $$$"""{"multiRegionProperties":{"clusters":["{{{a.GetProperty("arn").GetString()}}}"]}}""", "eu-west-1")).Status.Should().Be(HttpStatusCode.OK);

        (await dsql.StatusAsync(aId)).Should().Be("CREATING");
        (await dsql.StatusAsync(bId, "eu-west-1")).Should().Be("CREATING");
    }

    [Fact]
    public async Task DeleteCluster_PendingSetupWithoutLink_DeletesDirectly()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync("""{"multiRegionProperties":{"witnessRegion":"us-west-2"},"deletionProtectionEnabled":false}""")).GetProperty("identifier").GetString()!;

        var delete = await dsql.DeleteAsync(id);

        delete.String("status").Should().Be("DELETING");
    }

    [Fact]
    public async Task UpdateCluster_ListOmitsLinkedPeer_RemovesTheLinkOnBothSides()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.UpdatingTime = TimeSpan.Zero);
        var (aId, aArn, bArn) = await LinkedPairAsync(dsql);
        var bId = bArn[(bArn.LastIndexOf('/') + 1)..];

        var remove = await dsql.UpdateAsync(aId, """{"multiRegionProperties":{"clusters":[]}}""");

        remove.Status.Should().Be(HttpStatusCode.OK, remove.ToString());
        Arns((await dsql.GetAsync(aId)).Json).Should().Equal(aArn);
        Arns((await dsql.GetAsync(bId, "us-east-2")).Json).Should().Equal(bArn);
        (await dsql.StatusAsync(aId)).Should().Be("PENDING_SETUP");
        (await dsql.StatusAsync(bId, "us-east-2")).Should().Be("PENDING_SETUP");
    }

    [Fact]
    public async Task UpdateCluster_ListReplacesLinkedPeer_LinksTheNewPeer()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.UpdatingTime = TimeSpan.Zero);
        var (aId, aArn, bArn) = await LinkedPairAsync(dsql);
        var otherCluster = await dsql.CreateOkAsync(Witness, "ap-northeast-1");
        var otherArn = otherCluster.GetProperty("arn").GetString()!;

        var change = await dsql.UpdateAsync(aId, $$$"""{"multiRegionProperties":{"clusters":["{{{aArn}}}","{{{otherArn}}}"]}}""");

        change.Status.Should().Be(HttpStatusCode.OK, change.ToString());
        Arns((await dsql.GetAsync(aId)).Json).Should().BeEquivalentTo([aArn, otherArn]);
        Arns((await dsql.GetAsync(bArn[(bArn.LastIndexOf('/') + 1)..], "us-east-2")).Json).Should().Equal(bArn);
    }

    private static IEnumerable<string?> Arns(System.Text.Json.JsonElement cluster) =>
        cluster.GetProperty("multiRegionProperties").GetProperty("clusters").EnumerateArray().Select(e => e.GetString());

    [Fact]
    public async Task CreateCluster_PeerAlreadyLinkedElsewhere_ReturnsConflict()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var (_, aArn, _) = await LinkedPairAsync(dsql);

        var third = await dsql.CreateAsync($$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{aArn}}}"]}}""", "ap-south-1");

        third.Status.Should().Be(HttpStatusCode.Conflict);
        dsql.Server.GetClusters().Should().HaveCount(2);
    }

    [Fact]
    public async Task UpdateCluster_LinkedClusterWhilePendingDelete_ReturnsConflict()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var (aId, _, _) = await LinkedPairAsync(dsql);
        (await dsql.DeleteAsync(aId)).String("status").Should().Be("PENDING_DELETE");

        (await dsql.UpdateAsync(aId, """{"deletionProtectionEnabled":true}""")).Status.Should().Be(HttpStatusCode.Conflict);
        (await dsql.DeleteAsync(aId)).Status.Should().Be(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CreateCluster_WitnessIsOwnRegion_ReturnsValidationOnWitness()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync("""{"multiRegionProperties":{"witnessRegion":"us-east-1"}}""");

        AssertField(response, "multiRegionProperties.witnessRegion", "witness Region must be different");
    }

    [Fact]
    public async Task CreateCluster_WitnessNotARegion_ReturnsValidationOnWitness()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync("""{"multiRegionProperties":{"witnessRegion":"mars-1"}}""");

        AssertField(response, "multiRegionProperties.witnessRegion", "valid AWS Region");
    }

    [Fact]
    public async Task CreateCluster_PeerInSameRegion_ReturnsValidationOnClusters()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync(Witness)).GetProperty("arn").GetString();

        var response = await dsql.CreateAsync($$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{arn}}}"]}}""");

        AssertField(response, "multiRegionProperties.clusters", "different Region");
    }

    [Fact]
    public async Task CreateCluster_UnknownPeer_ReturnsValidationOnClusters()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync(
            """{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["arn:aws:dsql:us-east-2:123456789012:cluster/aaaaaaaaaaaaaaaaaaaaaaaaaa"]}}""");

        AssertField(response, "multiRegionProperties.clusters", "does not exist");
    }

    [Fact]
    public async Task CreateCluster_MalformedPeerArn_ReturnsValidationOnClusters()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync("""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["arn:aws:dsql:us-east-2:1234:cluster/x"]}}""");

        AssertField(response, "multiRegionProperties.clusters", "regular expression pattern");
    }

    [Fact]
    public async Task CreateCluster_PeerOfOtherAccount_ReturnsValidationOnClusters()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var response = await dsql.CreateAsync(
            """{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["arn:aws:dsql:us-east-2:999999999999:cluster/aaaaaaaaaaaaaaaaaaaaaaaaaa"]}}""");

        AssertField(response, "multiRegionProperties.clusters", "same account");
    }

    [Fact]
    public async Task CreateCluster_WitnessDiffersFromPeer_ReturnsValidationOnWitness()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync(Witness)).GetProperty("arn").GetString();

        var response = await dsql.CreateAsync($$$"""{"multiRegionProperties":{"witnessRegion":"eu-west-1","clusters":["{{{arn}}}"]}}""", "us-east-2");

        AssertField(response, "multiRegionProperties.witnessRegion", "must match the witness Region 'us-west-2'");
    }

    [Fact]
    public async Task CreateCluster_ClustersWithoutWitness_ReturnsValidationOnClusters()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync(Witness)).GetProperty("arn").GetString();

        var response = await dsql.CreateAsync($$$"""{"multiRegionProperties":{"clusters":["{{{arn}}}"]}}""", "us-east-2");

        AssertField(response, "multiRegionProperties.clusters", "witnessRegion");
    }

    [Fact]
    public async Task CreateCluster_TwoPeers_ReturnsValidationOnClusters()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var a = (await dsql.CreateOkAsync(Witness)).GetProperty("arn").GetString();
        var b = (await dsql.CreateOkAsync(Witness, "eu-west-1")).GetProperty("arn").GetString();

        var response = await dsql.CreateAsync($$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{a}}}","{{{b}}}"]}}""", "us-east-2");

        AssertField(response, "multiRegionProperties.clusters", "one peer");
    }

    [Fact]
    public async Task UpdateCluster_WitnessMismatch_ReturnsValidationOnWitness()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync(Witness)).GetProperty("identifier").GetString()!;

        var response = await dsql.UpdateAsync(id, """{"multiRegionProperties":{"witnessRegion":"eu-west-1"}}""");

        AssertField(response, "multiRegionProperties.witnessRegion", "must match");
    }

    [Fact]
    public async Task CreateCluster_PeerIsSingleRegion_ReturnsValidationOnClusters()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var arn = (await dsql.CreateOkAsync()).GetProperty("arn").GetString();

        var response = await dsql.CreateAsync($$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{arn}}}"]}}""", "us-east-2");

        AssertField(response, "multiRegionProperties.clusters", "single-Region");
    }

    [Fact]
    public async Task UpdateCluster_WitnessOnSingleRegionCluster_MakesItMultiRegionPendingSetup()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;

        var update = await dsql.UpdateAsync(id, Witness);

        update.Status.Should().Be(HttpStatusCode.OK, update.ToString());
        var description = (await dsql.GetAsync(id)).Json;
        description.GetProperty("status").GetString().Should().Be("PENDING_SETUP");
        description.GetProperty("multiRegionProperties").GetProperty("witnessRegion").GetString().Should().Be("us-west-2");
    }

    [Fact]
    public async Task UpdateCluster_ClustersOnSingleRegionClusterWithoutWitness_ReturnsValidationOnClusters()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;
        var peer = (await dsql.CreateOkAsync(Witness, "us-east-2")).GetProperty("arn").GetString();

        var response = await dsql.UpdateAsync(id, $$$"""{"multiRegionProperties":{"clusters":["{{{peer}}}"]}}""");

        AssertField(response, "multiRegionProperties.clusters", "witness Region");
    }

    [Fact]
    public async Task UpdateCluster_UnknownCluster_ReturnsResourceNotFound()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var update = await dsql.UpdateAsync("aaaaaaaaaaaaaaaaaaaaaaaaaa", """{"deletionProtectionEnabled":false}""");
        var delete = await dsql.DeleteAsync("aaaaaaaaaaaaaaaaaaaaaaaaaa");

        update.Status.Should().Be(HttpStatusCode.NotFound);
        update.ErrorType.Should().Be("ResourceNotFoundException");
        delete.Status.Should().Be(HttpStatusCode.NotFound);
    }

    private static void AssertField(DsqlResponse response, string field, string messagePart)
    {
        response.Status.Should().Be(HttpStatusCode.BadRequest, response.ToString());
        response.ErrorType.Should().Be("ValidationException");
        response.String("__type").Should().Be("ValidationException");
        response.String("reason").Should().Be("fieldValidationFailed");
        var entry = response.Json.GetProperty("fieldList")[0];
        entry.GetProperty("name").GetString().Should().Be(field);
        entry.GetProperty("message").GetString().Should().Contain(messagePart);
        response.String("message").Should().StartWith("1 validation error detected: ").And.Contain(field);
    }

    private static async Task<(string Id, string Arn, string PeerArn)> LinkedPairAsync(DsqlFixture dsql)
    {
        var a = await dsql.CreateOkAsync("""{"multiRegionProperties":{"witnessRegion":"us-west-2"},"deletionProtectionEnabled":false}""");
        var aArn = a.GetProperty("arn").GetString()!;
        var b = await dsql.CreateOkAsync($$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{aArn}}}"]}}""", "us-east-2");
        var bArn = b.GetProperty("arn").GetString()!;
        var id = a.GetProperty("identifier").GetString()!;
        var link = await dsql.UpdateAsync(id, $$$"""{"multiRegionProperties":{"clusters":["{{{bArn}}}"]}}""");
        link.Status.Should().Be(HttpStatusCode.OK, link.ToString());
        return (id, aArn, bArn);
    }
}
