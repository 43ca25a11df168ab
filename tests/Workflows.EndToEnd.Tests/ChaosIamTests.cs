using System.Collections.Concurrent;
using DsqlLocal.Iam;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// workflows chaos honours --iam like provision does: with enforce every command of every run has DSQL Local
/// evaluate IAM against the calling function's own template role; with off nothing is evaluated.
/// </summary>
public sealed class ChaosIamTests
{
    private static string FunctionOf(string principalArn) => principalArn[(principalArn.LastIndexOf('/') + 1)..];

    [Fact]
    public async Task Chaos_IamEnforce_CountsZeroAndEveryCallSignedByAFunctionRole()
    {
        var audit = new ConcurrentQueue<IamAuditEntry>();
        using var cli = new CliRun { IamAudit = audit.Enqueue };

        var chaos = await cli.RunAsync("chaos", "--runs", "5", "--seed", "3", "--crash-rate", "0", "--iam", "enforce", "--work-dir", "chaos", "--json");

        chaos.ExitCode.Should().Be(0, chaos.ToString());
        var json = chaos.Json();
        json.GetProperty("runs").GetInt32().Should().Be(5);
        foreach (var count in new[] { "leaked", "duplicate", "stuck", "wrongTerminal" })
        {
            json.GetProperty(count).GetInt32().Should().Be(0, count);
        }

        var entries = audit.ToList();
        entries.Should().NotBeEmpty("with --iam enforce every call of the campaign's runs is evaluated");
        entries.Should().OnlyContain(e => e.Decision == IamDecision.Allow);
        var functions = entries.Select(e => FunctionOf(e.PrincipalArn)).ToHashSet(StringComparer.Ordinal);
        functions.Should().Contain(["CreatePrimaryClusterFunction", "CreatePeerClusterFunction", "DeleteClusterFunction"]);
        entries.Should().Contain(e => e.PrincipalArn.StartsWith("arn:aws:sts::123456789012:assumed-role/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chaos_IamEnforceWithRevocation_TheRevokedCallIsDenied()
    {
        var audit = new ConcurrentQueue<IamAuditEntry>();
        using var cli = new CliRun { IamAudit = audit.Enqueue };

        var chaos = await cli.RunAsync("chaos", "--runs", "2", "--seed", "3", "--crash-rate", "0", "--iam", "enforce", "--iam-revoke", "CreatePrimaryClusterFunction=dsql:CreateCluster", "--work-dir", "chaos", "--json");

        audit.Should().Contain(e => e.Decision != IamDecision.Allow && FunctionOf(e.PrincipalArn) == "CreatePrimaryClusterFunction" && e.Action == "dsql:CreateCluster", chaos.ToString());
        chaos.Json().GetProperty("leaked").GetInt32().Should().Be(0, "a provision denied its CreateCluster makes nothing");
    }

    [Fact]
    public async Task Chaos_IamOffOverWorkflowsIamEnforce_NothingEvaluated()
    {
        // This suite's CliRun sets WORKFLOWS_IAM=enforce (EndToEndIam); --iam off must win, as it does for provision.
        var audit = new ConcurrentQueue<IamAuditEntry>();
        using var cli = new CliRun { IamAudit = audit.Enqueue };

        var chaos = await cli.RunAsync("chaos", "--runs", "2", "--seed", "3", "--crash-rate", "0", "--iam", "off", "--work-dir", "chaos", "--json");

        chaos.ExitCode.Should().Be(0, chaos.ToString());
        audit.Should().BeEmpty();
    }

    [Fact]
    public async Task Chaos_NoIamOption_WorkflowsIamDecides()
    {
        // No --iam: WORKFLOWS_IAM decides, as for provision (this suite's CliRun sets it to EndToEndIam.Mode).
        var audit = new ConcurrentQueue<IamAuditEntry>();
        using var cli = new CliRun { IamAudit = audit.Enqueue };

        var chaos = await cli.RunAsync("chaos", "--runs", "1", "--seed", "3", "--crash-rate", "0", "--work-dir", "chaos", "--json");

        chaos.ExitCode.Should().Be(0, chaos.ToString());
        audit.IsEmpty.Should().Be(Support.EndToEndIam.Mode != "enforce");
    }

    [Fact]
    public async Task Chaos_IamRevokeWithoutEnforce_UsageErrorNamingTheRule()
    {
        using var cli = new CliRun();

        var chaos = await cli.RunAsync("chaos", "--runs", "1", "--iam", "off", "--iam-revoke", "CreatePrimaryClusterFunction=dsql:CreateCluster");

        chaos.ExitCode.Should().Be(2);
        chaos.Error.Should().Contain("--iam-revoke changes the roles IAM enforces: it needs --iam enforce");
    }
}
