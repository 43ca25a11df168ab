using System.Text.RegularExpressions;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>provision, update and teardown as separate processes sharing only the state directory.</summary>
public sealed partial class ProcessTests
{
    private const string MainCommandPrefix = "workflows ";

    [Fact]
    public async Task ProvisionThenTeardown_TwoProcesses_ShareTheEmbeddedEmulatorThroughTheStateDirectory()
    {
        using var cli = new CliRun();

        var provision = await ToolProcess.RunAsync(cli.WorkingDirectory, ["provision", "--provisioning-seconds", "120", "--seed", "5", "--json"]);
        provision.ExitCode.Should().Be(0, provision.ToString());
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().HaveCount(2).And.OnlyContain(c => c.Status == "ACTIVE");

        var teardown = await ToolProcess.RunAsync(cli.WorkingDirectory, ["teardown", "--from-last-run", "--force", "--json"]);

        teardown.ExitCode.Should().Be(0, teardown.ToString());
        teardown.Json().GetProperty("status").GetString().Should().Be("SUCCEEDED");
        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty();
    }

    [Fact]
    public async Task Readme_QuickStartMainCommands_RunAsWrittenAndSucceed()
    {
        var root = ToolProcess.RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(root, "README.md"));
        var quickStart = QuickStart().Match(readme);
        quickStart.Success.Should().BeTrue("the README has a Quick start section");
        // The Quick start's first shell block is the main job; later blocks show other things to try.
        var block = FirstShellBlock().Match(quickStart.Value);
        block.Success.Should().BeTrue("the Quick start opens with a shell block");
        var commands = block.Groups["body"].Value.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith(MainCommandPrefix, StringComparison.Ordinal)).ToList();
        commands.Should().HaveCount(3, "install, then provision, update and teardown");
        commands[0].Should().Be(MainCommandPrefix + "provision");
        commands[1].Should().Be(MainCommandPrefix + "update --from-last-run --deletion-protection off");
        commands[2].Should().Be(MainCommandPrefix + "teardown --from-last-run", "protection is off after the update, so the teardown needs no --force");
        quickStart.Value.Should().Contain("\n./install.sh\n", "the tool is installed before it is used");
        File.Exists(Path.Combine(root, "install.sh")).Should().BeTrue();
        File.Exists(Path.Combine(root, "local", "Workflows.Cli", "Workflows.Cli.csproj")).Should().BeTrue();
        using var cli = new CliRun();

        foreach (var command in commands)
        {
            var args = command[MainCommandPrefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var result = await ToolProcess.RunAsync(cli.WorkingDirectory, args);

            result.ExitCode.Should().Be(0, $"{command}\n{result}");
            result.Out.Should().Contain("Status              SUCCEEDED");
        }

        (await Emulator.ClustersAsync(cli.StateDirectory)).Should().BeEmpty("the last command retires the pair the first made");
    }

    [GeneratedRegex(@"```bash\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex FirstShellBlock();

    [GeneratedRegex(@"## Quick start.*?(?=\n## )", RegexOptions.Singleline)]
    private static partial Regex QuickStart();
}
