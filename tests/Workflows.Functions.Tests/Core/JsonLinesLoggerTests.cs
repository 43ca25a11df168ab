using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Workflows.Core.Hosting;
using Workflows.Core.Logging;
using Workflows.Core.Steps;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Core;

public sealed class JsonLinesLoggerTests : DsqlLocalTestBase
{
    private static List<JsonElement> Lines(StringWriter output) =>
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public async Task StepInvocation_CreatePrimary_EveryLineCarriesThePowertoolsAndWorkflowKeys()
    {
        var output = new StringWriter();
        using var provider = new JsonLinesLoggerProvider(output, new JsonLinesLoggerOptions { Service = "dsql-pairs", FunctionName = "CreatePrimaryClusterFunction", FunctionMemorySize = 256 }, Time);
        var logger = provider.CreateLogger(CreatePrimaryClusterStep.Name);
        var step = new CreatePrimaryClusterStep(Clients, logger);
        var host = new StepHost(CreatePrimaryClusterStep.Name, logger, name => name == FunctionEnvironment.TraceIdVariable ? "Root=1-5759e988-bd862e3fe1be46a994272793" : null, new ColdStartTracker());

        await using var result = await host.InvokeAsync(
            new MemoryStream("""{"executionName":"run-7","region":"us-east-1","witnessRegion":"us-west-2"}"""u8.ToArray()),
            new InvocationContext("8f5d2a4c-request", null, "arn:aws:lambda:us-east-1:123456789012:function:CreatePrimaryClusterFunction", null),
            StepJsonContext.Default.CreatePrimaryClusterInput,
            StepJsonContext.Default.CreatePrimaryClusterOutput,
            step.RunAsync);

        var lines = Lines(output);
        lines.Should().HaveCount(2);
        var created = lines[1];
        created.Str("level").Should().Be("INFO", "Lambda filters JSON lines by its own level words");
        created.Str("message").Should().StartWith("Created the primary cluster arn:aws:dsql:us-east-1:");
        created.Str("timestamp").Should().Be("2026-11-26T08:00:00.000Z");
        created.Str("service").Should().Be("dsql-pairs");
        created.GetProperty("cold_start").GetBoolean().Should().BeTrue();
        created.Str("function_name").Should().Be("CreatePrimaryClusterFunction");
        created.GetProperty("function_memory_size").GetInt32().Should().Be(256);
        created.Str("function_request_id").Should().Be("8f5d2a4c-request");
        created.Str("function_arn").Should().Be("arn:aws:lambda:us-east-1:123456789012:function:CreatePrimaryClusterFunction");
        created.Str("xray_trace_id").Should().Be("Root=1-5759e988-bd862e3fe1be46a994272793");
        created.Str("execution").Should().Be("run-7");
        created.Str("step").Should().Be(CreatePrimaryClusterStep.Name);
        created.Str("region").Should().Be("us-east-1");
        created.Str("cluster_id").Should().Be(Clusters.Single().Identifier);
        lines[0].TryGetProperty("cluster_id", out _).Should().BeFalse("the cluster does not exist before the call");
    }

    [Fact]
    public async Task StepInvocation_ThroughTheFunction_NoTokenOrSecretInTheLogs()
    {
        await CreatePrimaryAsync();
        await FluentActions.Awaiting(() => Lambda.InvokeAsync(DeleteFunction().FunctionHandler, new { executionName = Execution, region = Primary, identifier = Clusters.Single().Identifier }))
            .Should().ThrowAsync<Workflows.Core.Errors.DeletionProtectionEnabledException>();

        var text = LogOutput.ToString();
        text.Should().Contain(Execution);
        text.Should().NotContain(ClientTokens.Derive(Execution, StateMachine, CreatePrimaryClusterStep.Name, Primary));
        text.Should().NotContain(ClientTokens.Derive(Execution, null, DeleteClusterStep.Name, $"{Primary}/{Clusters.Single().Identifier}"));
        text.Should().NotContain(DsqlLocal.DsqlLocalDefaults.SecretAccessKey).And.NotContain(DsqlLocal.DsqlLocalDefaults.AccessKeyId);
        Lines(LogOutput).Should().Contain(l => l.Str("level") == "ERROR" && l.GetProperty("exception").Str("type") == "DeletionProtectionEnabledException");
    }

    [Fact]
    public async Task StepHost_TwoInvocations_ColdStartOnlyOnTheFirst()
    {
        var output = new StringWriter();
        using var provider = new JsonLinesLoggerProvider(output, new JsonLinesLoggerOptions(), new FakeTimeProvider());
        var logger = provider.CreateLogger("test");
        var host = new StepHost(ValidateProvisionRequestStep.Name, logger, _ => null, new ColdStartTracker());
        var step = new ValidateProvisionRequestStep(new FakeTimeProvider(), logger);
        const string payload = """{"request":{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2"}}""";

        for (var i = 0; i < 2; i++)
        {
            await using var result = await host.InvokeAsync(
                new MemoryStream(System.Text.Encoding.UTF8.GetBytes(payload)),
                InvocationContext.None,
                StepJsonContext.Default.ValidateProvisionRequestInput,
                StepJsonContext.Default.ValidateProvisionRequestOutput,
                step.RunAsync);
        }

        var lines = Lines(output);
        lines.Select(l => l.GetProperty("cold_start").GetBoolean()).Should().Equal(true, false);
        lines.Should().OnlyContain(l => l.Str("service") == "workflows" && l.EnumerateObject().All(p => p.Name != "xray_trace_id"));
    }

    [Fact]
    public void Log_SecretLookingValues_RedactedInKeysAndMessage()
    {
        var output = new StringWriter();
        using var provider = new JsonLinesLoggerProvider(output, new JsonLinesLoggerOptions(), new FakeTimeProvider());
        var logger = provider.CreateLogger("test");

        using (logger.BeginScope(new Dictionary<string, object?> { ["sessionToken"] = "scope-secret-1" }))
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Calling with {ClientToken} and {SecretAccessKey} for {Region}", "token-secret-2", "key-secret-3", "us-east-1");
            }
        }

        var text = output.ToString();
        text.Should().NotContain("secret-1").And.NotContain("secret-2").And.NotContain("secret-3");
        var line = Lines(output).Single();
        line.Str("message").Should().Be("Calling with [redacted] and [redacted] for us-east-1");
        line.Str("client_token").Should().Be("[redacted]");
        line.Str("sessionToken").Should().Be("[redacted]");
        line.Str("region").Should().Be("us-east-1");
    }

    [Fact]
    public void Log_BelowTheMinimumLevel_NotWritten()
    {
        var output = new StringWriter();
        using var provider = new JsonLinesLoggerProvider(output, new JsonLinesLoggerOptions { MinimumLevel = LogLevel.Warning }, new FakeTimeProvider());
        var logger = provider.CreateLogger("test");

        logger.LogInformation("quiet");
        logger.LogWarning("loud");

        Lines(output).Select(l => l.Str("message")).Should().Equal("loud");
    }
}
