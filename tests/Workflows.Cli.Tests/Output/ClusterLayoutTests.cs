using FluentAssertions;
using Workflows.Cli.Output;
using Workflows.Cli.Pairs;
using Workflows.Cli.Tests.Support;
using Xunit;

namespace Workflows.Cli.Tests.Output;

/// <summary>Identifiers and ARNs are copied from the clusters' lines, so no width may cut or wrap them.</summary>
public sealed class ClusterLayoutTests
{
    private static readonly ClusterLine[] Pair =
    [
        new("us-east-1", "drwkehm96wsx6y7lee2p49p0xx", "arn:aws:dsql:us-east-1:123456789012:cluster/drwkehm96wsx6y7lee2p49p0xx", "ACTIVE", "drwkehm96wsx6y7lee2p49p0xx.dsql.us-east-1.on.aws"),
        new("us-east-2", "53wrrxh849ulx29925hxylfy32", "arn:aws:dsql:us-east-2:123456789012:cluster/53wrrxh849ulx29925hxylfy32", "ACTIVE", "53wrrxh849ulx29925hxylfy32.dsql.us-east-2.on.aws"),
    ];

    [Theory]
    [InlineData(40)]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(200)]
    public void WriteClusters_AnyWidth_EveryIdentifierArnAndEndpointWholeOnOneLine(int width)
    {
        var lines = Render(width);

        foreach (var c in Pair)
        {
            lines.Should().Contain(l => l.Contains(c.Identifier, StringComparison.Ordinal));
            lines.Should().Contain(l => l.Contains(c.Arn!, StringComparison.Ordinal), $"the ARN is whole at {width} columns");
            lines.Should().Contain(l => l.Contains(c.Endpoint!, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void WriteClusters_WideConsole_OneTableRowPerCluster()
    {
        var lines = Render(220);

        lines.Should().Contain(l => l.Contains("│ us-east-1 │ drwkehm96wsx6y7lee2p49p0xx │", StringComparison.Ordinal));
        lines.Should().OnlyContain(l => l.Length <= 220);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void WriteClusters_NarrowConsole_FieldsPerClusterWithinTheWidth(int width)
    {
        var lines = Render(width);

        lines.Should().NotContain(l => l.Contains('│'));
        lines.Should().Contain("ARN         arn:aws:dsql:us-east-1:123456789012:cluster/drwkehm96wsx6y7lee2p49p0xx");
        lines.Where(l => !l.StartsWith("ARN", StringComparison.Ordinal)).Should().OnlyContain(l => l.Length <= width);
    }

    [Fact]
    public async Task Provision_EightyColumnTerminal_ArnsWholeInTheSummary()
    {
        using var cli = new CliRun { IsTerminal = true, TerminalWidth = 80 };

        var result = await cli.RunAsync("provision", "--provisioning-seconds", "60");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().MatchRegex(@"ARN(\x1b\[0m)?\s+arn:aws:dsql:us-east-1:123456789012:cluster/[a-z0-9]{26}\r?\n");
    }

    private static List<string> Render(int width)
    {
        using var writer = new StringWriter();
        var console = Consoles.Create(writer, isTerminal: false);
        console.Profile.Width = width;
        PairOutput.WriteClusters(console, Pair);
        return writer.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
    }
}
