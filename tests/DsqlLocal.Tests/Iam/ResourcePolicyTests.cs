using System.Net;
using DsqlLocal.Iam;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests.Iam;

/// <summary>
/// Cluster (resource-based) policies in the IAM decision for callers of the same account, as the IAM User Guide's
/// single-account evaluation describes it: an explicit Deny in either policy wins; an Allow in the identity-based or
/// the resource-based policy suffices; CreateCluster and ListClusters are not subject to the cluster policy.
/// </summary>
public sealed class ResourcePolicyTests
{
    private const string Admin = "AKIARBPADMIN";
    private const string Caller = "AKIARBPCALLER";
    private const string Secret = "rbp-test-secret";
    private const string CallerArn = "arn:aws:sts::123456789012:assumed-role/CallerRole/session";
    private const string AdminPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dsql:*","Resource":"*"}]}""";
    private const string NoPolicy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dsql:ListClusters","Resource":"*"}]}""";

    private static Task<DsqlFixture> StartAsync(string callerPolicy) => DsqlFixture.StartAsync(o =>
    {
        o.Iam.Enforce = true;
        o.Iam.Principals.Add(new IamPrincipal(Admin, Secret, "arn:aws:sts::123456789012:assumed-role/Admin/admin", [AdminPolicy]));
        o.Iam.Principals.Add(new IamPrincipal(Caller, Secret, CallerArn, [callerPolicy]));
    });

    private static string Resource(string effect, string principal, string actions, string extra = "") =>
        $$"""{"Version":"2012-10-17","Statement":[{"Effect":"{{effect}}","Principal":{{principal}},"Action":{{actions}},"Resource":"*"{{extra}}}]}""";

    private static Task<DsqlResponse> As(DsqlFixture dsql, string key, string method, string path, string id, string? body = null) =>
        dsql.SendAsync(new SignedRequest
        {
            Method = method,
            ResourcePath = path,
            PathResources = new() { ["{identifier}"] = id },
            Body = body,
            AccessKeyId = key,
            SecretAccessKey = Secret,
        });

    private static Task<DsqlResponse> Get(DsqlFixture dsql, string key, string id) => As(dsql, key, "GET", "/cluster/{identifier}", id);

    /// <summary>A cluster created by the admin with this cluster policy (bypassing the lockout check: tests may deny).</summary>
    private static async Task<string> ClusterWithPolicyAsync(DsqlFixture dsql, string policy)
    {
        var create = await dsql.SendAsync(new SignedRequest { Method = "POST", ResourcePath = "/cluster", Body = "{\"deletionProtectionEnabled\":false}", AccessKeyId = Admin, SecretAccessKey = Secret });
        create.Status.Should().Be(HttpStatusCode.OK, create.ToString());
        var id = create.String("identifier");
        var put = await As(dsql, Admin, "POST", "/cluster/{identifier}/policy", id, System.Text.Json.JsonSerializer.Serialize(new { policy, bypassPolicyLockoutSafetyCheck = true }));
        put.Status.Should().Be(HttpStatusCode.OK, put.ToString());
        return id;
    }

    [Fact]
    public async Task GetCluster_ResourcePolicyAllowsTheRole_AllowedWithoutAnIdentityAllow()
    {
        await using var dsql = await StartAsync(NoPolicy);
        var id = await ClusterWithPolicyAsync(dsql, Resource("Allow", """{"AWS":"arn:aws:iam::123456789012:role/CallerRole"}""", "\"dsql:GetCluster\""));

        var get = await Get(dsql, Caller, id);

        get.Status.Should().Be(HttpStatusCode.OK, get.ToString());
        // The Allow was for GetCluster only: another action on the same cluster is still implicitly denied.
        var delete = await As(dsql, Caller, "DELETE", "/cluster/{identifier}", id);
        delete.Status.Should().Be(HttpStatusCode.Forbidden);
        delete.String("message").Should().EndWith("because no identity-based policy allows the dsql:DeleteCluster action");
    }

    [Fact]
    public async Task GetCluster_NoPolicyAllows_ImplicitDeny()
    {
        await using var dsql = await StartAsync(NoPolicy);
        var id = await ClusterWithPolicyAsync(dsql, Resource("Allow", """{"AWS":"arn:aws:iam::123456789012:role/OtherRole"}""", "\"dsql:GetCluster\""));

        var get = await Get(dsql, Caller, id);

        get.Status.Should().Be(HttpStatusCode.Forbidden, get.ToString());
        get.String("message").Should().Contain("because no identity-based policy allows the dsql:GetCluster action");
    }

    [Fact]
    public async Task GetCluster_ResourcePolicyDeniesEveryone_ExplicitDenyWinsOverTheIdentityAllow()
    {
        await using var dsql = await StartAsync(AdminPolicy);
        var id = await ClusterWithPolicyAsync(dsql, Resource("Deny", "\"*\"", "\"dsql:GetCluster\""));

        var get = await Get(dsql, Caller, id);

        get.Status.Should().Be(HttpStatusCode.Forbidden, get.ToString());
        get.ErrorType.Should().Be("AccessDeniedException");
        get.String("message").Should().Be(
            $"User: {CallerArn} is not authorized to perform: dsql:GetCluster on resource: arn:aws:dsql:us-east-1:123456789012:cluster/{id} with an explicit deny in a resource-based policy");
    }

    [Fact]
    public async Task GetCluster_IdentityDenyWhileResourcePolicyAllows_ExplicitDenyInTheIdentityPolicyWins()
    {
        const string denyGet = """{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"dsql:GetCluster","Resource":"*"}]}""";
        await using var dsql = await StartAsync(denyGet);
        var id = await ClusterWithPolicyAsync(dsql, Resource("Allow", "{\"AWS\":\"" + CallerArn + "\"}", "\"dsql:GetCluster\""));

        var get = await Get(dsql, Caller, id);

        get.Status.Should().Be(HttpStatusCode.Forbidden);
        get.String("message").Should().EndWith("with an explicit deny in an identity-based policy");
    }

    [Fact]
    public async Task GetCluster_AccountPrincipal_AllowOnlyDelegatesButDenyApplies()
    {
        await using var dsql = await StartAsync(NoPolicy);
        var allowAccount = await ClusterWithPolicyAsync(dsql, Resource("Allow", """{"AWS":"arn:aws:iam::123456789012:root"}""", "\"dsql:GetCluster\""));
        var denyAccount = await ClusterWithPolicyAsync(dsql, Resource("Deny", """{"AWS":"123456789012"}""", "\"dsql:GetCluster\""));

        (await Get(dsql, Caller, allowAccount)).Status.Should().Be(HttpStatusCode.Forbidden, "an account principal delegates to the identity policy, which does not allow");
        (await Get(dsql, Admin, allowAccount)).Status.Should().Be(HttpStatusCode.OK, "the admin's identity policy allows");
        var denied = await Get(dsql, Admin, denyAccount);
        denied.Status.Should().Be(HttpStatusCode.Forbidden);
        denied.String("message").Should().EndWith("with an explicit deny in a resource-based policy");
    }

    [Fact]
    public async Task GetCluster_NotPrincipalDeny_DeniesEveryoneButTheNamedRole()
    {
        await using var dsql = await StartAsync(AdminPolicy);
        var id = await ClusterWithPolicyAsync(dsql, Resource("Deny", "\"*\"", "\"dsql:*\"").Replace("\"Principal\":\"*\"", "\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::123456789012:role/Admin\"}", StringComparison.Ordinal));

        (await Get(dsql, Admin, id)).Status.Should().Be(HttpStatusCode.OK);
        (await Get(dsql, Caller, id)).String("message").Should().EndWith("with an explicit deny in a resource-based policy");
    }

    [Fact]
    public async Task GetCluster_ConditionOnThePrincipalArn_DenyAppliesOnlyWhereItHolds()
    {
        await using var dsql = await StartAsync(AdminPolicy);
        var condition = ",\"Condition\":{\"StringNotEquals\":{\"aws:PrincipalArn\":\"arn:aws:sts::123456789012:assumed-role/Admin/admin\"}}";
        var id = await ClusterWithPolicyAsync(dsql, Resource("Deny", """{"AWS":"*"}""", "[\"dsql:GetCluster\",\"dsql:DeleteCluster\"]", condition));

        (await Get(dsql, Admin, id)).Status.Should().Be(HttpStatusCode.OK);
        (await Get(dsql, Caller, id)).Status.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ListClusters_ResourcePolicyDeniesEveryone_NotSubjectToTheClusterPolicy()
    {
        await using var dsql = await StartAsync(AdminPolicy);
        await ClusterWithPolicyAsync(dsql, Resource("Deny", "\"*\"", "\"dsql:*\""));

        var list = await dsql.SendAsync(new SignedRequest { Method = "GET", ResourcePath = "/cluster", AccessKeyId = Caller, SecretAccessKey = Secret });

        list.Status.Should().Be(HttpStatusCode.OK, list.ToString());
    }

    [Fact]
    public async Task PutClusterPolicy_EnforcedAndOperatorNotEvaluable_RefusedNamingPolicy()
    {
        await using var dsql = await StartAsync(AdminPolicy);
        var id = await ClusterWithPolicyAsync(dsql, Resource("Allow", "\"*\"", "\"dsql:GetCluster\""));
        var policy = Resource("Deny", "\"*\"", "\"dsql:GetCluster\"", ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}");

        var put = await As(dsql, Admin, "POST", "/cluster/{identifier}/policy", id, System.Text.Json.JsonSerializer.Serialize(new { policy }));

        put.Status.Should().Be(HttpStatusCode.BadRequest, put.ToString());
        put.String("message").Should().Contain("policy").And.Contain("IpAddress");
    }

    [Fact]
    public async Task CreateCluster_WithPolicy_NeedsPutClusterPolicy()
    {
        const string createOnly = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dsql:CreateCluster","Resource":"*"}]}""";
        await using var dsql = await StartAsync(createOnly);
        var body = System.Text.Json.JsonSerializer.Serialize(new { policy = Resource("Allow", "\"*\"", "\"dsql:GetCluster\"") });

        var create = await dsql.SendAsync(new SignedRequest { Method = "POST", ResourcePath = "/cluster", Body = body, AccessKeyId = Caller, SecretAccessKey = Secret });

        create.Status.Should().Be(HttpStatusCode.Forbidden, create.ToString());
        create.String("message").Should().Contain("dsql:PutClusterPolicy on resource: arn:aws:dsql:us-east-1:123456789012:cluster/*");
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Theory]
    [InlineData("*", CallerArn, true, true)]
    [InlineData("AWS:*", CallerArn, false, true)]
    [InlineData("AWS:arn:aws:iam::123456789012:role/CallerRole", CallerArn, false, true)]
    [InlineData("AWS:arn:aws:iam::123456789012:role/path/CallerRole", CallerArn, false, true)]
    [InlineData("AWS:arn:aws:iam::123456789012:role/OtherRole", CallerArn, true, false)]
    [InlineData("AWS:arn:aws:iam::210987654321:role/CallerRole", CallerArn, true, false)]
    [InlineData("AWS:123456789012", CallerArn, false, false)]
    [InlineData("AWS:123456789012", CallerArn, true, true)]
    [InlineData("AWS:arn:aws:iam::123456789012:root", CallerArn, true, true)]
    [InlineData("Service:dsql.amazonaws.com", CallerArn, true, false)]
    [InlineData("AWS:arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/alice", false, true)]
    public void PrincipalMatches_PrincipalForms_AsTheIamUserGuideDescribes(string principal, string caller, bool accountGrants, bool expected) =>
        PolicyEvaluator.PrincipalMatches(principal, caller, accountGrants).Should().Be(expected);

    [Theory]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dsql:GetCluster"}}""", "exactly one of Principal and NotPrincipal")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"me","Action":"dsql:GetCluster"}}""", "Statement.Principal must be \"*\"")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Users":"x"},"Action":"dsql:GetCluster"}}""", "'Users' is not a principal type")]
    public void ParseResourceBased_BadPrincipal_NamesTheMemberAndTheRule(string policy, string expected)
    {
        var parse = () => IamPolicy.ParseResourceBased(policy);

        parse.Should().Throw<FormatException>().WithMessage("*" + expected + "*");
    }
}
