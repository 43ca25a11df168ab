using Workflows.Cli.Tests.Support;

namespace Workflows.Cli.Tests;

public class GlobalOptionsTests
{
    [Fact]
    public async Task Version_PrintsTheToolVersion()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("--version");

        result.ExitCode.Should().Be(0);
        result.Out.Should().StartWith("0.1.0");
    }

    [Fact]
    public async Task Help_Root_ListsCommandsExitCodesAndExamples()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("--help");

        result.ExitCode.Should().Be(0);
        result.Out.Should().Contain("run <file>").And.Contain("history").And.Contain("describe")
            .And.Contain("Exit codes: 0 success").And.Contain("Examples:").And.Contain("workflows run ");
    }

    [Theory]
    [InlineData("run")]
    [InlineData("history")]
    [InlineData("describe")]
    public async Task Help_Command_EndsWithItsExamples(string command)
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync(command, "--help");

        result.ExitCode.Should().Be(0);
        result.Out.Should().Contain("Examples:").And.Contain($"workflows {command}");
    }

    [Fact]
    public async Task UnknownCommand_Exits2WithAHint()
    {
        using var cli = new CliRun();
        var result = await cli.RunAsync("provison");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("provison").And.Contain("workflows --help");
        result.Out.Should().BeEmpty();
    }
}
