using System.Text;
using System.Text.Json;
using Workflows.EndToEnd.Tests.Support;
using Workflows.LambdaLocal;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// The artifact that ships, built for arm64 as `sam build` builds it, started under qemu-user on a bare arm64 libc
/// (no .NET installed, no ICU) behind the local Lambda's Runtime API: what Lambda does with it on Graviton.
/// </summary>
public sealed class Arm64ArtifactTests(Arm64Artifacts artifacts) : IClassFixture<Arm64Artifacts>
{
    private LambdaFunction Validate() => new()
    {
        Name = "ValidateProvisionRequestFunction",
        ArtifactDirectory = artifacts.Function("ValidateProvisionRequestFunction"),
        Environment = new Dictionary<string, string> { ["POWERTOOLS_SERVICE_NAME"] = "workflows" },
        TimeoutSeconds = 60,
        MemorySizeMb = 1024,
        LogFormat = LambdaLogFormat.Json,
        Architecture = "arm64",
        Launcher = [Arm64Artifacts.Qemu, "-L", Arm64Artifacts.Sysroot],
    };

    [Arm64Fact]
    public async Task Bootstrap_UnderQemu_AnswersAValidAndAnInvalidEvent()
    {
        var logs = new List<LambdaLogLine>();
        await using var lambda = await LambdaService.StartAsync([Validate()], new LambdaLocalOptions { LogSink = l => { lock (logs) { logs.Add(l); } }, InitTimeout = TimeSpan.FromSeconds(60) });

        var valid = await lambda.InvokeAsync("ValidateProvisionRequestFunction", """{"request":{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2"}}"""u8.ToArray());
        var invalid = await lambda.InvokeAsync("ValidateProvisionRequestFunction", """{"request":{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-east-1"}}"""u8.ToArray());

        valid.IsError.Should().BeFalse(valid.PayloadText);
        JsonDocument.Parse(valid.PayloadText).RootElement.GetProperty("request").GetProperty("peerRegion").GetString().Should().Be("us-east-2");
        invalid.FunctionError.Should().Be("Unhandled");
        invalid.ErrorType.Should().Be("InvalidRequestException");
        JsonDocument.Parse(invalid.PayloadText).RootElement.GetProperty("errorMessage").GetString().Should().Contain("witnessRegion");
        lock (logs)
        {
            logs.Should().Contain(l => l.Text.Contains("\"level\":\"ERROR\"", StringComparison.Ordinal) && l.Text.Contains("InvalidRequestException", StringComparison.Ordinal));
        }
    }

    [Arm64Fact]
    public async Task Bootstrap_UnderQemuBadLogLevel_InitErrorReportedAsLambdaDoes()
    {
        var function = Validate() with { Environment = new Dictionary<string, string> { ["WORKFLOWS_STEP_BUDGET_SECONDS"] = "0" } };
        await using var lambda = await LambdaService.StartAsync([function], new LambdaLocalOptions { InitTimeout = TimeSpan.FromSeconds(60) });

        var result = await lambda.InvokeAsync(function.Name, Encoding.UTF8.GetBytes("{}"));

        result.ErrorType.Should().Be("FunctionConfigurationException");
        result.PayloadText.Should().Contain("WORKFLOWS_STEP_BUDGET_SECONDS");
    }

    [Arm64Fact]
    public async Task Provision_EveryFunctionArm64UnderQemu_PairProvisionedAndRetired()
    {
        foreach (var id in Workflows.Core.Steps.StepCatalog.All.Select(s => s.Name))
        {
            artifacts.Function(id + "Function");
        }

        using var cli = new CliRun();
        var provision = await cli.RunAsync("provision", "--seed", "4", "--json", "--functions", "process", "--artifacts", artifacts.Directory);
        provision.ExitCode.Should().Be(0, provision.ToString());
        provision.Json().GetProperty("status").GetString().Should().Be("SUCCEEDED");

        var teardown = await cli.RunAsync("teardown", "--from-last-run", "--force", "--json", "--functions", "process", "--artifacts", artifacts.Directory);
        teardown.ExitCode.Should().Be(0, teardown.ToString());
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
    }
}
