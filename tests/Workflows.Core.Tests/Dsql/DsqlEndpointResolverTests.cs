using Workflows.Core.Dsql;

namespace Workflows.Core.Tests.Dsql;

public class DsqlEndpointResolverTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars)
    {
        var map = vars.ToDictionary(v => v.Name, v => v.Value);
        return name => map.GetValueOrDefault(name);
    }

    [Theory]
    [InlineData("us-east-1", "https://dsql.us-east-1.api.aws/")]
    [InlineData("eu-west-2", "https://dsql.eu-west-2.api.aws/")]
    [InlineData("cn-north-1", "https://dsql.cn-north-1.api.amazonwebservices.com.cn/")]
    public void Resolve_NoOverride_UsesRegionalDualStackEndpoint(string region, string expected)
    {
        DsqlEndpointResolver.Resolve(region, null, false, Env()).ToString().Should().Be(expected);
    }

    [Fact]
    public void Resolve_Fips_UsesFipsHost()
    {
        DsqlEndpointResolver.Resolve("us-east-1", null, true, Env()).ToString().Should().Be("https://dsql-fips.us-east-1.api.aws/");
    }

    [Fact]
    public void Resolve_ServiceVariable_WinsOverGlobalVariable()
    {
        var env = Env(("AWS_ENDPOINT_URL_DSQL", "http://127.0.0.1:8787"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:9999"));
        DsqlEndpointResolver.Resolve("us-east-1", null, false, env).Should().Be(new Uri("http://127.0.0.1:8787"));
    }

    [Fact]
    public void Resolve_OnlyGlobalVariable_UsesIt()
    {
        var env = Env(("AWS_ENDPOINT_URL", "http://localhost:9999"));
        DsqlEndpointResolver.Resolve("us-east-1", null, false, env).Should().Be(new Uri("http://localhost:9999"));
    }

    [Fact]
    public void Resolve_ExplicitEndpoint_WinsOverVariables()
    {
        var env = Env(("AWS_ENDPOINT_URL_DSQL", "http://127.0.0.1:8787"));
        DsqlEndpointResolver.Resolve("us-east-1", new Uri("http://10.0.0.1:1"), false, env).Should().Be(new Uri("http://10.0.0.1:1"));
    }

    [Fact]
    public void Resolve_IgnoreConfiguredEndpoints_SkipsVariables()
    {
        var env = Env(("AWS_ENDPOINT_URL_DSQL", "http://127.0.0.1:8787"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));
        DsqlEndpointResolver.Resolve("us-east-1", null, false, env).ToString().Should().Be("https://dsql.us-east-1.api.aws/");
    }

    [Fact]
    public void Resolve_FipsWithCustomEndpoint_IsRefusedAsTheRuleSetSays()
    {
        var act = () => DsqlEndpointResolver.Resolve("us-east-1", new Uri("http://127.0.0.1:1"), true, Env());
        act.Should().Throw<InvalidOperationException>().WithMessage("*FIPS and custom endpoint are not supported*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("US-EAST-1")]
    [InlineData("useast1")]
    [InlineData("us-east")]
    public void Resolve_BadRegion_NamesTheRegion(string region)
    {
        var act = () => DsqlEndpointResolver.Resolve(region, null, false, Env());
        act.Should().Throw<ArgumentException>().WithMessage($"*Region '{region}'*").Which.ParamName.Should().Be("region");
    }

    [Fact]
    public void Resolve_MalformedVariable_NamesTheVariable()
    {
        var act = () => DsqlEndpointResolver.Resolve("us-east-1", null, false, Env(("AWS_ENDPOINT_URL_DSQL", "not a url")));
        act.Should().Throw<InvalidOperationException>().WithMessage("AWS_ENDPOINT_URL_DSQL*not an absolute http or https URL*");
    }
    [Theory]
    [InlineData("us-east-1\n")]
    [InlineData("us-east-1 ")]
    [InlineData(" us-east-1")]
    [InlineData("us-east-1\r\n")]
    [InlineData("xx-east-1")]
    [InlineData("us-east-1-1")]
    [InlineData("us-gov-west-x")]
    public void IsValidRegion_OutsideTheCatalogRules_IsFalse(string region) =>
        Assert.False(DsqlEndpointResolver.IsValidRegion(region));

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("us-gov-west-1")]
    [InlineData("cn-northwest-1")]
    [InlineData("us-isob-east-1")]
    [InlineData("eu-isoe-west-1")]
    [InlineData("eusc-de-east-1")]
    [InlineData("il-central-1")]
    [InlineData("mx-central-1")]
    public void IsValidRegion_RegionOfEachPartition_IsTrue(string region) =>
        Assert.True(DsqlEndpointResolver.IsValidRegion(region));

    [BotocoreCatalogFact]
    public void IsValidRegion_EveryRegionOfBotocoresCatalog_IsTrue()
    {
        using var catalog = System.Text.Json.JsonDocument.Parse(File.ReadAllText(BotocoreCatalogFactAttribute.Find()!));
        var regions = catalog.RootElement.GetProperty("partitions").EnumerateArray()
            .SelectMany(p => p.GetProperty("regions").EnumerateObject().Select(r => r.Name))
            .Where(name => !name.StartsWith("aws-", StringComparison.Ordinal)) // the partitions' global pseudo-Regions
            .ToList();

        Assert.NotEmpty(regions);
        Assert.All(regions, r => Assert.True(DsqlEndpointResolver.IsValidRegion(r), $"{r} is in botocore's catalog"));
    }
}

/// <summary>
/// Runs only where botocore's Region catalog (partitions.json) is on the machine: Debian's python3-botocore, or the
/// file named by BOTOCORE_PARTITIONS_JSON. It is data nobody here wrote, so the Region rules are checked against it.
/// </summary>
public sealed class BotocoreCatalogFactAttribute : FactAttribute
{
    private const string Debian = "/usr/lib/python3/dist-packages/botocore/data/partitions.json";

    public BotocoreCatalogFactAttribute()
    {
        if (Find() is null)
        {
            Skip = $"botocore's partitions.json is absent ({Debian}; set BOTOCORE_PARTITIONS_JSON to another copy).";
        }
    }

    public static string? Find()
    {
        var named = Environment.GetEnvironmentVariable("BOTOCORE_PARTITIONS_JSON");
        return new[] { named, Debian }.FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
    }
}
