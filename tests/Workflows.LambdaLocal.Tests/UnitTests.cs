namespace Workflows.LambdaLocal.Tests;

/// <summary>The pure pieces: level detection, exit status texts, /proc parsing, log tail.</summary>
public class UnitTests
{
    [Theory]
    [InlineData("""{"level":"ERROR","timestamp":"2026-12-02T10:00:00Z","message":"m"}""", LambdaLogLevel.Error)]
    [InlineData("""{"level":"debug","timestamp":"2024-11-02T16:51:31.587199Z"}""", LambdaLogLevel.Debug)]
    [InlineData("""{"level":"ERROR","message":"no timestamp"}""", LambdaLogLevel.Info)]
    [InlineData("""{"level":"LOUD","timestamp":"2026-12-02T10:00:00Z"}""", LambdaLogLevel.Info)]
    [InlineData("""{"level":"ERROR","timestamp":"yesterday"}""", LambdaLogLevel.Info)]
    [InlineData("plain text ERROR", LambdaLogLevel.Info)]
    [InlineData("{not json", LambdaLogLevel.Info)]
    public void LevelOf_Line_LambdasLevelOrInfo(string line, LambdaLogLevel expected) =>
        LogFilter.LevelOf(line).Should().Be(expected);

    [Fact]
    public void Keeps_TextFormat_KeepsEverything()
    {
        var fn = new LambdaFunction { Name = "F", ArtifactDirectory = ".", ApplicationLogLevel = LambdaLogLevel.Fatal };
        LogFilter.Keeps(fn, LambdaLogLevel.Debug, platform: false).Should().BeTrue();
    }

    [Theory]
    [InlineData(0, "exit status 0")]
    [InlineData(3, "exit status 3")]
    [InlineData(137, "signal: killed")]
    [InlineData(139, "signal: segmentation fault")]
    [InlineData(143, "signal: terminated")]
    public void ExitStatus_ExitCode_GoStyleText(int code, string expected) =>
        RuntimeInstance.ExitStatus(code).Should().Be(expected);

    [Fact]
    public void ReadRss_ProcStatus_BytesOfRssAndPeak()
    {
        var (rss, hwm) = RuntimeInstance.ReadRss(["Name:\tpython3", "VmHWM:\t   20480 kB", "VmRSS:\t   10240 kB"]);
        rss.Should().Be(10240L * 1024);
        hwm.Should().Be(20480L * 1024);
    }
}
