using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// IAM enforced with every function its built bootstrap as a process: each process gets its own role's keys in
/// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, as Lambda hands a function its execution role's credentials.
/// </summary>
public sealed class IamEnforcedProcessTests(LambdaArtifacts artifacts) : IClassFixture<LambdaArtifacts>
{
    private string[] Process(params string[] args) => [.. args, "--functions", "process", "--artifacts", artifacts.Directory, "--iam", "enforce"];

    [Fact]
    public async Task ProvisionThenTeardown_ProcessesOnTheirOwnRoles_Succeed()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync(Process("provision", "--seed", "31", "--json"));
        provision.ExitCode.Should().Be(0, provision.ToString());
        var teardown = await cli.RunAsync(Process("teardown", "--from-last-run", "--force", "--json"));

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
    }

    [Fact]
    public async Task Provision_ProcessRoleWithoutPutWitnessRegion_FailsWithAccessDeniedNamingIt()
    {
        using var cli = new CliRun();

        var provision = await cli.RunAsync(Process("provision", "--seed", "32", "--iam-revoke", "CreatePrimaryClusterFunction=dsql:PutWitnessRegion", "--json"));

        provision.ExitCode.Should().NotBe(0, provision.ToString());
        var json = provision.Json();
        json.GetProperty("error").GetString().Should().Be("AccessDeniedException");
        json.GetProperty("cause").GetString().Should().Contain("assumed-role/CreatePrimaryClusterFunctionRole/CreatePrimaryClusterFunction is not authorized to perform: dsql:PutWitnessRegion");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty("the create is refused before it makes anything");
    }
}
