using Workflows.Cli;
using Workflows.Cli.Pairs;
using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// A command refused because another holds the state directory ("in use") has changed nothing there: the lock is
/// taken before any record is read or written (the chaos campaign found RUNNING records written first).
/// </summary>
public sealed class StateDirInUseTests
{
    public static TheoryData<string[]> CommandsOnABusyDirectory() => new()
    {
        { ["provision", "--provisioning-seconds", "60"] },
        // The same seeded command again would show the recorded run (saving it as the last run): refused first.
        { ["provision", "--provisioning-seconds", "60", "--seed", "3"] },
        { ["provision", "--provisioning-seconds", "60", "--name", "another-one", "--output", "json"] },
        { ["update", "--from-last-run", "--deletion-protection", "off"] },
        { ["teardown", "--from-last-run", "--force"] },
        { ["teardown", "--cluster", "us-east-1:abcdefghijklmnopqrstuvwxyz", "--force"] },
    };

    [Theory]
    [MemberData(nameof(CommandsOnABusyDirectory))]
    public async Task Command_StateDirHeldByAnother_Exit2InUseAndDirectoryByteIdentical(string[] command)
    {
        using var cli = new CliRun();
        (await cli.RunAsync("provision", "--provisioning-seconds", "60", "--seed", "3")).ExitCode.Should().Be(ExitCodes.Success);
        var before = Snapshot(cli.StateDirectory);

        Dictionary<string, byte[]> after;
        CliResult result;
        using (EmbeddedState.Open(cli.StateDirectory))
        {
            result = await cli.RunAsync(command);
            after = Snapshot(cli.StateDirectory);
        }

        result.ExitCode.Should().Be(ExitCodes.BadUsage, result.ToString());
        result.Error.Should().Contain("is in use by another workflows command");
        after.Keys.Should().BeEquivalentTo(before.Keys, "no file was added or removed");
        foreach (var (path, bytes) in before)
        {
            after[path].Should().Equal(bytes, $"{path} is unchanged");
        }
    }

    [Fact]
    public async Task Provision_AfterTheOtherCommandFinished_RunsAsUsual()
    {
        using var cli = new CliRun();
        using (EmbeddedState.Open(cli.StateDirectory))
        {
            (await cli.RunAsync("provision", "--provisioning-seconds", "60")).ExitCode.Should().Be(ExitCodes.BadUsage);
        }

        var result = await cli.RunAsync("provision", "--provisioning-seconds", "60");

        result.ExitCode.Should().Be(ExitCodes.Success, result.ToString());
        result.Out.Should().NotContain("resuming", "the refused command recorded no execution to resume");
    }

    // The held lock file cannot be read while held (it is empty, and was there before): its name is compared only.
    private static Dictionary<string, byte[]> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(
                f => Path.GetRelativePath(directory, f),
                f => Path.GetFileName(f) == EmbeddedState.LockFileName ? [] : File.ReadAllBytes(f),
                StringComparer.Ordinal);
}
