using System.Collections.Concurrent;
using DsqlLocal.Iam;
using Workflows.Cli.Pairs;
using Workflows.Templates;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// The template's least privilege, proved by running it: with --iam enforce the embedded DSQL Local evaluates every
/// call against the role template.yaml gives the calling function (each function signs with its own key).
/// </summary>
public sealed class IamEnforcedTests
{
    private static string FunctionOf(string principalArn) => principalArn[(principalArn.LastIndexOf('/') + 1)..];

    [Fact]
    public async Task ProvisionUpdateTeardown_IamEnforced_EveryCallWithinTheCallingFunctionsRole()
    {
        var audit = new ConcurrentQueue<IamAuditEntry>();
        using var cli = new CliRun { IamAudit = audit.Enqueue };

        var provision = await cli.RunAsync("provision", "--iam", "enforce", "--seed", "21", "--tag", "team=blue", "--json");
        provision.ExitCode.Should().Be(0, provision.ToString());
        var update = await cli.RunAsync("update", "--from-last-run", "--iam", "enforce", "--tag", "owner=data", "--untag", "team", "--deletion-protection", "off", "--json");
        update.ExitCode.Should().Be(0, update.ToString());
        var teardown = await cli.RunAsync("teardown", "--from-last-run", "--force", "--iam", "enforce", "--json");
        teardown.ExitCode.Should().Be(0, teardown.ToString());

        var entries = audit.ToList();
        entries.Should().OnlyContain(e => e.Decision == IamDecision.Allow);

        // What each function's code actually asked for (DSQL Local derives the actions from the requests it got),
        // set against what its role in template.yaml allows by name.
        var roles = TemplateRoles.Read(SamTemplate.Load(PairRunner.TemplatePath), "us-east-1", PairRunner.Account, File.Exists(FunctionRoles.PolicyTemplatesPath) ? PolicyTemplates.Load(FunctionRoles.PolicyTemplatesPath) : null);
        var asked = entries.GroupBy(e => FunctionOf(e.PrincipalArn)).ToDictionary(g => g.Key, g => g.Select(e => e.Action).ToHashSet(StringComparer.OrdinalIgnoreCase));
        foreach (var (function, actions) in asked)
        {
            roles.Should().ContainKey(function);
            TemplateRoles.AllowedActions(roles[function]).Should().Contain(actions, $"{function}'s role must allow every action its calls need");
        }

        // Every DSQL-calling step of the three workflows ran under its own key.
        asked.Keys.Should().Contain(
        [
            "CreatePrimaryClusterFunction", "CreatePeerClusterFunction", "LinkClustersFunction", "DescribeClusterFunction",
            "SetDeletionProtectionFunction", "UpdateClusterTagsFunction", "DeleteClusterFunction", "ConfirmClusterGoneFunction",
        ]);

        // The multi-Region extras were asked for where the service checks them.
        asked["CreatePrimaryClusterFunction"].Should().Contain(["dsql:CreateCluster", "dsql:TagResource", "dsql:PutMultiRegionProperties", "dsql:PutWitnessRegion"]);
        entries.Should().Contain(e => FunctionOf(e.PrincipalArn) == "CreatePrimaryClusterFunction" && e.Action == "dsql:PutWitnessRegion" && e.Resource == "arn:aws:dsql:us-west-2:123456789012:cluster/*");
        asked["CreatePeerClusterFunction"].Should().Contain("dsql:AddPeerCluster");
        asked["LinkClustersFunction"].Should().Contain(["dsql:UpdateCluster", "dsql:AddPeerCluster", "dsql:PutMultiRegionProperties"]);
        asked["UpdateClusterTagsFunction"].Should().Contain(["dsql:TagResource", "dsql:UntagResource"]);
    }

    [Fact]
    public async Task Provision_PeerRoleWithoutAddPeerCluster_FailsWithAccessDeniedNamingTheAction()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync("provision", "--iam", "enforce", "--iam-revoke", "CreatePeerClusterFunction=dsql:AddPeerCluster", "--seed", "22", "--json");

        provision.ExitCode.Should().NotBe(0, provision.ToString());
        var json = provision.Json();
        json.GetProperty("status").GetString().Should().Be("FAILED");
        json.GetProperty("error").GetString().Should().Be("AccessDeniedException");
        json.GetProperty("cause").GetString().Should()
            .Contain("User: arn:aws:sts::123456789012:assumed-role/CreatePeerClusterFunctionRole/CreatePeerClusterFunction is not authorized to perform: dsql:AddPeerCluster on resource: arn:aws:dsql:us-east-")
            .And.Contain("because no identity-based policy allows the dsql:AddPeerCluster action");
    }

    [Fact]
    public async Task Teardown_DeleteRoleWithoutDeleteCluster_FailsWithAccessDeniedNamingTheAction()
    {
        using var cli = new CliRun();
        (await cli.RunAsync("provision", "--iam", "enforce", "--seed", "23", "--json")).ExitCode.Should().Be(0);

        var teardown = await cli.RunAsync("teardown", "--from-last-run", "--force", "--iam", "enforce", "--iam-revoke", "DeleteClusterFunction=dsql:DeleteCluster", "--json");

        teardown.ExitCode.Should().NotBe(0, teardown.ToString());
        var json = teardown.Json();
        json.GetProperty("error").GetString().Should().Be("AccessDeniedException");
        json.GetProperty("cause").GetString().Should().Contain("is not authorized to perform: dsql:DeleteCluster on resource: arn:aws:dsql:");
        (await Support.Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(2, "a denied delete deletes nothing");
    }

    [Theory]
    [InlineData(new[] { "--iam", "off", "--iam-revoke", "LinkClustersFunction=dsql:AddPeerCluster" }, "needs --iam enforce")]
    [InlineData(new[] { "--iam", "on" }, "--iam 'on' must be 'off' or 'enforce'")]
    [InlineData(new[] { "--iam", "enforce", "--iam-revoke", "NoSuchFunction=dsql:GetCluster" }, "'NoSuchFunction' is not a function of the template")]
    [InlineData(new[] { "--iam", "enforce", "--iam-revoke", "DescribeClusterFunction=dsql:DeleteCluster" }, "does not allow dsql:DeleteCluster")]
    [InlineData(new[] { "--iam", "enforce", "--dsql-endpoint", "http://127.0.0.1:1" }, "--iam configures the embedded emulator")]
    public async Task Provision_BadIamOptions_UsageErrorNamingTheRule(string[] options, string expected)
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync(["provision", .. options]);

        provision.ExitCode.Should().NotBe(0);
        provision.Error.Should().Contain(expected);
    }
}

/// <summary>The suite's default IAM mode reaches every run that does not choose one.</summary>
public sealed class IamByDefaultTests
{
    [Fact]
    public async Task Provision_NoIamOption_RunsInTheSuitesModeEnforceUnlessOptedOut()
    {
        var audit = new ConcurrentQueue<IamAuditEntry>();
        using var cli = new CliRun { IamAudit = audit.Enqueue };

        var provision = await cli.RunAsync("provision", "--seed", "24", "--json");

        provision.ExitCode.Should().Be(0, provision.ToString());
        if (Support.EndToEndIam.Mode == "off")
        {
            audit.Should().BeEmpty("WORKFLOWS_TEST_IAM=off opts the suite out of IAM");
        }
        else
        {
            Support.EndToEndIam.Mode.Should().Be("enforce");
            audit.Should().NotBeEmpty("the suite enforces IAM by default").And.OnlyContain(e => e.Decision == IamDecision.Allow);
            audit.Select(e => FunctionOf(e.PrincipalArn)).Should().Contain("CreatePrimaryClusterFunction");
        }
    }

    private static string FunctionOf(string principalArn) => principalArn[(principalArn.LastIndexOf('/') + 1)..];
}
