using System.Net;
using DsqlLocal.Iam;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests.Iam;

/// <summary>Signed requests against an emulator with IAM enforced: allowed and denied keys, wording, no side effects.</summary>
public sealed class IamEnforcementTests
{
    private const string Account = "123456789012";
    private const string Admin = "AKIAIAMADMIN";
    private const string Caller = "AKIAIAMCALLER";
    private const string Secret = "iam-test-secret";
    private const string CallerArn = "arn:aws:sts::123456789012:assumed-role/CallerRole/session";
    private const string AdminPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dsql:*","Resource":"*"}]}""";

    private static Task<DsqlFixture> StartAsync(params string[] callerPolicies) => DsqlFixture.StartAsync(o =>
    {
        o.Iam.Enforce = true;
        o.Iam.Principals.Add(new IamPrincipal(Admin, Secret, "arn:aws:iam::123456789012:role/Admin", [AdminPolicy]));
        o.Iam.Principals.Add(new IamPrincipal(Caller, Secret, CallerArn, callerPolicies));
    });

    private static string Allow(string actions, string resource = "arn:aws:dsql:*:123456789012:cluster/*", string condition = "") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":{{actions}},"Resource":"{{resource}}"{{(condition.Length > 0 ? ",\"Condition\":" + condition : string.Empty)}}}]}""";

    private static Task<DsqlResponse> As(DsqlFixture dsql, string key, string method, string path, string? body = null, string region = "us-east-1", Dictionary<string, string>? resources = null, List<KeyValuePair<string, string>>? query = null) =>
        dsql.SendAsync(new SignedRequest
        {
            Method = method,
            ResourcePath = path,
            PathResources = resources ?? [],
            Query = query ?? [],
            Body = body,
            Region = region,
            AccessKeyId = key,
            SecretAccessKey = Secret,
        });

    private static Task<DsqlResponse> Create(DsqlFixture dsql, string key, string body, string region = "us-east-1") => As(dsql, key, "POST", "/cluster", body, region);

    private static Task<DsqlResponse> Update(DsqlFixture dsql, string key, string id, string body, string region = "us-east-1") =>
        As(dsql, key, "POST", "/cluster/{identifier}", body, region, new() { ["{identifier}"] = id });

    private static Task<DsqlResponse> Delete(DsqlFixture dsql, string key, string id, string region = "us-east-1") =>
        As(dsql, key, "DELETE", "/cluster/{identifier}", null, region, new() { ["{identifier}"] = id });

    private static async Task<(string Id, string Arn)> AdminCreate(DsqlFixture dsql, string body = "{}", string region = "us-east-1")
    {
        var response = await Create(dsql, Admin, body, region);
        response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
        return (response.String("identifier"), response.String("arn"));
    }

    private static void ShouldBeDenied(DsqlResponse response, string action, string resource)
    {
        response.Status.Should().Be(HttpStatusCode.Forbidden, response.ToString());
        response.ErrorType.Should().Be("AccessDeniedException");
        response.String("message").Should().Be(
            $"User: {CallerArn} is not authorized to perform: dsql:{action} on resource: {resource} because no identity-based policy allows the dsql:{action} action");
    }

    [Fact]
    public async Task Enforce_KeyBoundToNoPrincipal_UnrecognizedClient()
    {
        await using var dsql = await StartAsync(AdminPolicy);

        var response = await dsql.CreateAsync(); // signed with the default key pair, which no principal holds

        response.Status.Should().Be(HttpStatusCode.Forbidden);
        response.ErrorType.Should().Be("UnrecognizedClientException");
        response.String("message").Should().Be("The security token included in the request is invalid.");
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task Off_ByDefault_EveryKnownKeyMayDoEverything()
    {
        await using var dsql = await DsqlFixture.StartAsync(o =>
            o.Iam.Principals.Add(new IamPrincipal(Caller, Secret, CallerArn, [Allow("\"dsql:GetCluster\"")])));

        (await dsql.CreateAsync()).Status.Should().Be(HttpStatusCode.OK);
        (await Create(dsql, Caller, "{}")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CreateCluster_Allowed_Creates()
    {
        await using var dsql = await StartAsync(Allow("\"dsql:CreateCluster\""));

        var response = await Create(dsql, Caller, "{}");

        response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
        dsql.Server.GetClusters().Should().ContainSingle();
    }

    [Fact]
    public async Task CreateCluster_NotAllowed_AccessDeniedInIamsWordingAndNothingCreated()
    {
        await using var dsql = await StartAsync(Allow("\"dsql:GetCluster\""));

        var response = await Create(dsql, Caller, "{}");

        ShouldBeDenied(response, "CreateCluster", "arn:aws:dsql:us-east-1:123456789012:cluster/*");
        response.Json.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("__type", "message");
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task CreateCluster_ExplicitDeny_SaysSo()
    {
        await using var dsql = await StartAsync(
            AdminPolicy,
            """{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"dsql:CreateCluster","Resource":"*"}}""");

        var response = await Create(dsql, Caller, "{}");

        response.Status.Should().Be(HttpStatusCode.Forbidden);
        response.String("message").Should().Be(
            $"User: {CallerArn} is not authorized to perform: dsql:CreateCluster on resource: arn:aws:dsql:us-east-1:123456789012:cluster/* with an explicit deny in an identity-based policy");
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task CreateCluster_WithTagsWithoutTagResource_DeniedNamingTagResource()
    {
        await using var dsql = await StartAsync(Allow("\"dsql:CreateCluster\""));

        var response = await Create(dsql, Caller, """{"tags":{"team":"blue"}}""");

        ShouldBeDenied(response, "TagResource", "arn:aws:dsql:us-east-1:123456789012:cluster/*");
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task CreateCluster_RequestTagCondition_ReadsTheTagsOfTheRequest()
    {
        await using var dsql = await StartAsync(Allow("[\"dsql:CreateCluster\",\"dsql:TagResource\"]", condition: """{"StringEquals":{"aws:RequestTag/team":"blue"},"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}"""));

        (await Create(dsql, Caller, """{"tags":{"team":"red"}}""")).ErrorType.Should().Be("AccessDeniedException");
        (await Create(dsql, Caller, """{"tags":{"team":"blue","owner":"me"}}""")).ErrorType.Should().Be("AccessDeniedException");
        (await Create(dsql, Caller, """{"tags":{"team":"blue"}}""")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("\"dsql:CreateCluster\"", "PutMultiRegionProperties")]
    [InlineData("[\"dsql:CreateCluster\",\"dsql:PutMultiRegionProperties\"]", "PutWitnessRegion")]
    public async Task CreateCluster_MultiRegion_NeedsEachMultiRegionAction(string actions, string missing)
    {
        await using var dsql = await StartAsync(Allow(actions));

        var response = await Create(dsql, Caller, """{"multiRegionProperties":{"witnessRegion":"us-west-2"}}""");

        ShouldBeDenied(response, missing, "arn:aws:dsql:us-east-1:123456789012:cluster/*");
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task CreateCluster_PutWitnessRegionOnlyInTheClustersRegion_DeniedInTheWitnessRegion()
    {
        await using var dsql = await StartAsync(Allow(
            "[\"dsql:CreateCluster\",\"dsql:PutMultiRegionProperties\",\"dsql:PutWitnessRegion\"]",
            resource: "arn:aws:dsql:us-east-1:123456789012:cluster/*"));

        var response = await Create(dsql, Caller, """{"multiRegionProperties":{"witnessRegion":"us-west-2"}}""");

        ShouldBeDenied(response, "PutWitnessRegion", "arn:aws:dsql:us-west-2:123456789012:cluster/*");
    }

    [Fact]
    public async Task CreateCluster_WitnessRegionCondition_AllowsOnlyTheNamedWitness()
    {
        await using var dsql = await StartAsync(
            Allow("[\"dsql:CreateCluster\",\"dsql:PutMultiRegionProperties\"]"),
            Allow("\"dsql:PutWitnessRegion\"", condition: """{"StringEquals":{"dsql:WitnessRegion":"us-west-2"}}"""));

        var denied = await Create(dsql, Caller, """{"multiRegionProperties":{"witnessRegion":"eu-west-1"}}""");
        ShouldBeDenied(denied, "PutWitnessRegion", "arn:aws:dsql:us-east-1:123456789012:cluster/*");
        (await Create(dsql, Caller, """{"multiRegionProperties":{"witnessRegion":"us-west-2"}}""")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CreateCluster_WithPeer_NeedsAddPeerClusterOnThePeersExactArn()
    {
        await using var dsql = await StartAsync(Allow(
            "[\"dsql:CreateCluster\",\"dsql:PutMultiRegionProperties\",\"dsql:PutWitnessRegion\",\"dsql:AddPeerCluster\"]",
            resource: "arn:aws:dsql:us-east-2:123456789012:cluster/*"),
            Allow("\"dsql:PutWitnessRegion\"", resource: "arn:aws:dsql:us-west-2:123456789012:cluster/*"));
        var (_, primaryArn) = await AdminCreate(dsql, """{"multiRegionProperties":{"witnessRegion":"us-west-2"}}""");

        var response = await Create(dsql, Caller, $$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{primaryArn}}}"]}}""", "us-east-2");

        ShouldBeDenied(response, "AddPeerCluster", primaryArn);
        dsql.Server.GetClusters().Should().ContainSingle();
    }

    [Fact]
    public async Task UpdateCluster_DroppingAPeer_NeedsRemovePeerClusterOnTheRemovedPeer()
    {
        await using var dsql = await StartAsync(Allow("[\"dsql:UpdateCluster\",\"dsql:GetCluster\",\"dsql:PutMultiRegionProperties\",\"dsql:AddPeerCluster\"]"));
        var (aId, aArn) = await AdminCreate(dsql, """{"multiRegionProperties":{"witnessRegion":"us-west-2"}}""");
        var (_, bArn) = await AdminCreate(dsql, $$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{aArn}}}"]}}""", "us-east-2");
        (await Update(dsql, Admin, aId, $$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{bArn}}}"]}}""")).Status.Should().Be(HttpStatusCode.OK);

        var response = await Update(dsql, Caller, aId, """{"multiRegionProperties":{"clusters":[]}}""");

        ShouldBeDenied(response, "RemovePeerCluster", bArn);
        dsql.Server.GetClusters().Single(c => c.Arn == aArn).Peers.Should().Equal(bArn);
    }

    [Fact]
    public async Task UpdateCluster_KeepingThePeers_NeedsNoRemovePeerCluster()
    {
        await using var dsql = await StartAsync(Allow("[\"dsql:UpdateCluster\",\"dsql:GetCluster\",\"dsql:PutMultiRegionProperties\",\"dsql:AddPeerCluster\",\"dsql:PutWitnessRegion\"]"));
        var (aId, aArn) = await AdminCreate(dsql, """{"multiRegionProperties":{"witnessRegion":"us-west-2"}}""");
        var (_, bArn) = await AdminCreate(dsql, $$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{aArn}}}"]}}""", "us-east-2");

        var link = await Update(dsql, Caller, aId, $$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{aArn}}}","{{{bArn}}}"]}}""");

        link.Status.Should().Be(HttpStatusCode.OK, link.ToString());
    }

    [Fact]
    public async Task UpdateCluster_DeletionProtectionOnly_NeedsOnlyUpdateCluster()
    {
        await using var dsql = await StartAsync(Allow("\"dsql:UpdateCluster\""));
        var (id, _) = await AdminCreate(dsql);

        var response = await Update(dsql, Caller, id, """{"deletionProtectionEnabled":false}""");

        response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
    }

    [Fact]
    public async Task DeleteCluster_ResourceTagCondition_OnlyTaggedClustersMayBeDeleted()
    {
        await using var dsql = await StartAsync(Allow("\"dsql:DeleteCluster\"", condition: """{"Null":{"aws:ResourceTag/workflows:execution":"false"}}"""));
        var (untagged, untaggedArn) = await AdminCreate(dsql, """{"deletionProtectionEnabled":false}""");
        var (tagged, _) = await AdminCreate(dsql, """{"deletionProtectionEnabled":false,"tags":{"workflows:execution":"run-1"}}""");

        ShouldBeDenied(await Delete(dsql, Caller, untagged), "DeleteCluster", untaggedArn);
        (await Delete(dsql, Caller, tagged)).Status.Should().Be(HttpStatusCode.OK);
        dsql.Server.GetClusters().Single(c => c.Identifier == untagged).Status.Should().Be("CREATING");
    }

    [Fact]
    public async Task UntagResource_TagKeysCondition_RefusesReservedKeys()
    {
        await using var dsql = await StartAsync(Allow("\"dsql:UntagResource\"", condition: """{"ForAllValues:StringNotLike":{"aws:TagKeys":["workflows:*"]}}"""));
        var (_, arn) = await AdminCreate(dsql, """{"tags":{"workflows:execution":"run-1","team":"blue"}}""");
        List<KeyValuePair<string, string>> Keys(string key) => [new("tagKeys", key)];
        var resources = new Dictionary<string, string> { ["{resourceArn}"] = arn };

        ShouldBeDenied(await As(dsql, Caller, "DELETE", "/tags/{resourceArn}", resources: resources, query: Keys("workflows:execution")), "UntagResource", arn);
        (await As(dsql, Caller, "DELETE", "/tags/{resourceArn}", resources: resources, query: Keys("team"))).Status.Should().Be(HttpStatusCode.OK);
        dsql.Server.GetClusters().Single().Tags.Should().ContainKey("workflows:execution").And.NotContainKey("team");
    }

    [Fact]
    public async Task ListClusters_NeedsAStatementOnEveryResource()
    {
        await using var dsql = await StartAsync(Allow("\"dsql:ListClusters\""));

        ShouldBeDenied(await As(dsql, Caller, "GET", "/cluster"), "ListClusters", "*");
    }

    [Fact]
    public async Task RequestedRegion_Condition_LimitsTheRegion()
    {
        await using var dsql = await StartAsync(Allow("\"dsql:CreateCluster\"", resource: "*", condition: """{"StringEquals":{"aws:RequestedRegion":"us-east-2"}}"""));

        (await Create(dsql, Caller, "{}")).ErrorType.Should().Be("AccessDeniedException");
        (await Create(dsql, Caller, "{}", "us-east-2")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AdminIam_Get_ShowsEnforcementAndBindingsWithoutSecrets()
    {
        await using var dsql = await StartAsync(Allow("\"dsql:GetCluster\""));

        var response = await dsql.Client.GetAsync(new Uri("/_dsql-local/iam", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        using var json = System.Text.Json.JsonDocument.Parse(body);
        json.RootElement.GetProperty("enforce").GetBoolean().Should().BeTrue();
        var caller = json.RootElement.GetProperty("principals").EnumerateArray().Single(p => p.GetProperty("accessKeyId").GetString() == Caller);
        caller.GetProperty("arn").GetString().Should().Be(CallerArn);
        caller.GetProperty("statements").GetInt32().Should().Be(1);
        body.Should().NotContain(Secret);
    }

    [Fact]
    public async Task Options_BadPolicy_RefusedAtStartNamingThePrincipalAndTheRule()
    {
        var options = new DsqlLocalOptions();
        options.Iam.Principals.Add(new IamPrincipal(Caller, Secret, CallerArn, ["""{"Version":"2012-10-17","Statement":{"Effect":"Permit","Action":"*","Resource":"*"}}"""]));

        var start = () => DsqlLocalServer.StartAsync(options, inProcess: true);

        await start.Should().ThrowAsync<ArgumentException>().WithMessage($"*{Caller}*policy 0*Effect must be \"Allow\" or \"Deny\", not \"Permit\"*");
    }

    [Fact]
    public async Task Options_EnforceWithoutPrincipals_Refused()
    {
        var options = new DsqlLocalOptions();
        options.Iam.Enforce = true;

        var start = () => DsqlLocalServer.StartAsync(options, inProcess: true);

        await start.Should().ThrowAsync<ArgumentException>().WithMessage("*no principal*");
    }
}
