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
}
