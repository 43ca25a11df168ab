using Workflows.Core.Steps;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Logging;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Core;

public sealed class FunctionEnvironmentTests : DsqlLocalTestBase
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Load_NothingSet_Defaults()
    {
        var settings = FunctionEnvironment.Load(Env());

        settings.ServiceName.Should().Be("workflows");
        settings.MinimumLevel.Should().Be(LogLevel.Information);
        settings.FunctionName.Should().BeNull();
        settings.MemorySize.Should().BeNull();
        settings.UseFips.Should().BeFalse();
        settings.StepBudget.Should().Be(TimeSpan.FromSeconds(100), "below the functions' 120 s timeout");
    }

    [Fact]
    public void Load_StepBudget_Read()
    {
        FunctionEnvironment.Load(Env(("WORKFLOWS_STEP_BUDGET_SECONDS", "45"))).StepBudget.Should().Be(TimeSpan.FromSeconds(45));
    }

    [Fact]
    public void Load_LambdaValues_Read()
    {
        var settings = FunctionEnvironment.Load(Env(
            ("POWERTOOLS_SERVICE_NAME", "dsql-pairs"),
            ("POWERTOOLS_LOG_LEVEL", "debug"),
            ("AWS_LAMBDA_FUNCTION_NAME", "workflows-CreatePrimaryClusterFunction-1a2b"),
            ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"),
            ("AWS_ENDPOINT_URL_DSQL", "http://127.0.0.1:8787")));

        settings.ServiceName.Should().Be("dsql-pairs");
        settings.MinimumLevel.Should().Be(LogLevel.Debug);
        settings.FunctionName.Should().Be("workflows-CreatePrimaryClusterFunction-1a2b");
        settings.MemorySize.Should().Be(512);
    }

    [Fact]
    public void Load_BothLogLevels_LambdasAdvancedLoggingControlsWin()
    {
        FunctionEnvironment.Load(Env(("POWERTOOLS_LOG_LEVEL", "DEBUG"), ("AWS_LAMBDA_LOG_LEVEL", "WARN"))).MinimumLevel.Should().Be(LogLevel.Warning);
    }

    [Theory]
    [InlineData("POWERTOOLS_LOG_LEVEL", "LOUD")]
    [InlineData("AWS_LAMBDA_LOG_LEVEL", "verbose")]
    [InlineData("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "lots")]
    [InlineData("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "64")]
    [InlineData("AWS_USE_FIPS_ENDPOINT", "maybe")]
    [InlineData("AWS_ENDPOINT_URL_DSQL", "not a url")]
    [InlineData("AWS_ENDPOINT_URL", "ftp://example.com")]
    [InlineData("POWERTOOLS_SERVICE_NAME", "two\nlines")]
    [InlineData("WORKFLOWS_STEP_BUDGET_SECONDS", "0")]
    [InlineData("WORKFLOWS_STEP_BUDGET_SECONDS", "901")]
    [InlineData("WORKFLOWS_STEP_BUDGET_SECONDS", "1.5")]
    public void Load_BadValue_FunctionConfigurationExceptionNamingTheVariable(string variable, string value)
    {
        FluentActions.Invoking(() => FunctionEnvironment.Load(Env((variable, value))))
            .Should().Throw<FunctionConfigurationException>().Which.Message.Should().Contain(variable);
    }

    [Fact]
    public void Load_FipsWithACustomEndpoint_Refused()
    {
        FluentActions.Invoking(() => FunctionEnvironment.Load(Env(("AWS_USE_FIPS_ENDPOINT", "true"), ("AWS_ENDPOINT_URL_DSQL", "http://127.0.0.1:8787"))))
            .Should().Throw<FunctionConfigurationException>().WithMessage("*FIPS*");
    }

    [Fact]
    public async Task Create_ServicesOfALocalHost_RunsOnThem()
    {
        var output = new StringWriter();
        using var provider = new JsonLinesLoggerProvider(output, new JsonLinesLoggerOptions { Service = "local" }, Time);
        using var services = new StepServices(Clients, Time, new JsonLinesLoggerFactory(provider));
        var function = StepCatalog.CreatePrimaryCluster.Create(services);

        var created = await Lambda.InvokeAsync(s => function.InvokeAsync(s, InvocationContext.None), new { executionName = "local-run", region = Primary, witnessRegion = Witness });

        Clusters.Should().ContainSingle().Which.Identifier.Should().Be(created.Str("identifier"));
        output.ToString().Should().Contain("\"service\":\"local\"").And.Contain("\"step\":\"CreatePrimaryCluster\"");
    }

    [Fact]
    public async Task FromEnvironment_LambdaVariables_ClientsOnTheConfiguredEndpointAndLogsWithTheFunctionKeys()
    {
        var output = new StringWriter();
        using var services = StepServices.FromEnvironment(
            Env(("AWS_ENDPOINT_URL_DSQL", "http://127.0.0.1:8787"), ("POWERTOOLS_SERVICE_NAME", "from-env"), ("AWS_LAMBDA_FUNCTION_NAME", "fn"), ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")),
            output,
            credentials: new BasicAWSCredentials("AKIAEXAMPLE", "example-secret"));
        var function = StepCatalog.ValidateProvisionRequest.Create(services);

        await Lambda.InvokeAsync(s => function.InvokeAsync(s, InvocationContext.None), """{"request":{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2"}}""");

        services.Clients.ForRegion("eu-west-1").Should().BeOfType<Workflows.Core.Dsql.DsqlClient>()
            .Which.Endpoint.Should().Be(new Uri("http://127.0.0.1:8787"));
        output.ToString().Should().Contain("\"service\":\"from-env\"").And.Contain("\"function_name\":\"fn\"")
            .And.Contain("\"function_memory_size\":256").And.NotContain("example-secret");
    }
}
