using Workflows.Core.Steps;
using Workflows.Core.Errors;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Core;

/// <summary>Each invocation's time budget, and the two multi-cluster reads asking DSQL concurrently.</summary>
public sealed class StepBudgetTests : DsqlLocalTestBase
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(100);

    private static Dictionary<string, string?>[] Refs(System.Text.Json.JsonElement primary, System.Text.Json.JsonElement peer) =>
    [
        new() { ["region"] = primary.Str("region"), ["identifier"] = primary.Str("identifier") },
        new() { ["region"] = peer.Str("region"), ["identifier"] = peer.Str("identifier") },
    ];

    [Fact]
    public async Task DescribeCluster_TwoClusters_AsksForBothAtOnce()
    {
        var (primary, peer) = await ProvisionPairAsync();
        var clients = new StallingClients(Clients, stall: false);

        var call = Lambda.InvokeAsync(StepUnderTest.Of(StepCatalog.DescribeCluster, clients, Time, Logger, Budget).FunctionHandler, new { clusters = Refs(primary, peer) });
        var started = clients.Started;
        if (started < 2)
        {
            // One after the other: the first call waits for a second that never comes; end it through the budget.
            Time.Advance(Budget);
        }

        started.Should().Be(2, "both GetCluster calls start before either is answered");
        (await call).GetProperty("clusters").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task ConfirmClusterGone_TwoClusters_AsksForBothAtOnce()
    {
        var (primary, peer) = await ProvisionPairAsync();
        var clients = new StallingClients(Clients, stall: false);

        var call = Lambda.InvokeAsync(StepUnderTest.Of(StepCatalog.ConfirmClusterGone, clients, Time, Logger, Budget).FunctionHandler, new { clusters = Refs(primary, peer) });
        var started = clients.Started;
        if (started < 2)
        {
            // One after the other: the first call waits for a second that never comes; end it through the budget.
            Time.Advance(Budget);
        }

        started.Should().Be(2, "both GetCluster calls start before either is answered");
        (await call).GetProperty("clusters").GetArrayLength().Should().Be(2);
    }

    [Fact]
    public async Task DescribeCluster_DsqlNeverAnswers_StopsWithStepTimeoutExceptionAtTheBudget()
    {
        var (primary, peer) = await ProvisionPairAsync();
        var function = StepUnderTest.Of(StepCatalog.DescribeCluster, new StallingClients(Clients, stall: true), Time, Logger, Budget);

        var call = Lambda.InvokeAsync(function.FunctionHandler, new { clusters = Refs(primary, peer) });
        Time.Advance(Budget - TimeSpan.FromSeconds(1));
        call.IsCompleted.Should().BeFalse("the budget has not run out yet");
        Time.Advance(TimeSpan.FromSeconds(1));

        var error = (await FluentActions.Awaiting(() => call).Should().ThrowAsync<StepTimeoutException>()).Which;
        error.Message.Should().Contain("DescribeCluster").And.Contain("100 s");
        LogOutput.ToString().Should().Contain("StepTimeoutException");
    }

    [Fact]
    public async Task ConfirmClusterGone_DsqlNeverAnswers_StopsWithStepTimeoutExceptionAtTheBudget()
    {
        var (primary, peer) = await ProvisionPairAsync();
        var function = StepUnderTest.Of(StepCatalog.ConfirmClusterGone, new StallingClients(Clients, stall: true), Time, Logger, TimeSpan.FromSeconds(30));

        var call = Lambda.InvokeAsync(function.FunctionHandler, new { clusters = Refs(primary, peer) });
        Time.Advance(TimeSpan.FromSeconds(30));

        await FluentActions.Awaiting(() => call).Should().ThrowAsync<StepTimeoutException>();
    }
}
