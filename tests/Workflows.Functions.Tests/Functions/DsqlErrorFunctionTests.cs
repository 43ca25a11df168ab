using Workflows.Core.Steps;
using System.Text.Json;
using Amazon.Runtime;
using DsqlLocal;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

/// <summary>
/// The errors every DSQL-calling function shares, one function at a time against DSQL Local: the service's
/// AccessDeniedException, ThrottlingException and InternalServerException, and DsqlTransportException when no
/// answer comes back. The client here retries as in production (3 attempts), with zero backoff so the fake
/// clock never has to move for a retry; the attempt count shows which errors the client retries.
/// </summary>
public sealed class DsqlErrorFunctionTests : DsqlLocalTestBase
{
    private const int Attempts = 3;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private static readonly string[] FunctionNames =
    [
        "CreatePrimaryCluster", "CreatePeerCluster", "LinkClusters", "DescribeCluster", "SetDeletionProtection", "DeleteCluster", "ConfirmClusterGone",
        "UpdateClusterTags",
    ];

    public static TheoryData<string> Functions => new(FunctionNames);

    public static TheoryData<string, string> FunctionsAndRetryableServiceErrors
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var function in FunctionNames)
            {
                foreach (var error in new[] { nameof(ThrottlingException), nameof(InternalServerException) })
                {
                    data.Add(function, error);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task FunctionHandler_PermissionMissing_AccessDeniedExceptionOnFirstAttemptAndNothingChanged(string function)
    {
        var step = await PrepareAsync(function);
        using var network = new NetworkHandler(Server.CreateHandler());
        using var clients = RetryingClients(network);
        var before = Clusters;
        Server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = step.Operation, AccessDeniedRate = 1 }] };

        var error = (await FluentActions.Awaiting(() => step.InvokeAsync(clients)).Should().ThrowAsync<AccessDeniedException>()).Which;

        error.GetType().Name.Should().Be("AccessDeniedException", "the state machine matches the short type name");
        error.IsRetryable.Should().BeFalse();
        error.Message.Should().Contain($"dsql:{step.Operation}");
        network.Requests.Should().Be(1, "a permission does not appear by asking again");
        Clusters.Should().BeEquivalentTo(before);
    }

    [Theory]
    [MemberData(nameof(FunctionsAndRetryableServiceErrors))]
    public async Task FunctionHandler_RetryableServiceError_SurfacesByNameAfterEveryAttemptAndNothingChanged(string function, string errorName)
    {
        var step = await PrepareAsync(function);
        using var network = new NetworkHandler(Server.CreateHandler());
        using var clients = RetryingClients(network);
        var before = Clusters;
        var rule = errorName == nameof(ThrottlingException)
            ? new FaultRule { Operation = step.Operation, ThrottleRate = 1, RetryAfterSeconds = 0 }
            : new FaultRule { Operation = step.Operation, InternalErrorRate = 1 };
        Server.Faults = new FaultSettings { Rules = [rule] };

        var error = (await FluentActions.Awaiting(() => step.InvokeAsync(clients)).Should().ThrowAsync<DsqlServiceException>()).Which;

        error.GetType().Name.Should().Be(errorName);
        error.IsRetryable.Should().BeTrue();
        network.Requests.Should().Be(Attempts);
        Clusters.Should().BeEquivalentTo(before);
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task FunctionHandler_EndpointRefusesConnections_DsqlTransportExceptionAfterEveryAttempt(string function)
    {
        var step = await PrepareAsync(function);
        using var network = new NetworkHandler(Server.CreateHandler());
        using var clients = RetryingClients(network);
        var before = Clusters;
        network.Down = true;

        var error = (await FluentActions.Awaiting(() => step.InvokeAsync(clients)).Should().ThrowAsync<DsqlTransportException>()).Which;

        error.GetType().Name.Should().Be("DsqlTransportException");
        error.IsTimeout.Should().BeFalse();
        error.InnerException.Should().BeOfType<HttpRequestException>();
        network.Requests.Should().Be(Attempts, "every call carries a clientToken or is read-only, so a lost request is safe to resend");
        Clusters.Should().BeEquivalentTo(before);
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public async Task FunctionHandler_NoAnswerWithinTheRequestTimeout_DsqlTransportExceptionAndNothingChanged(string function)
    {
        var step = await PrepareAsync(function);
        // The inline pipeline hands the client's cancellation straight back as cancellation; TestServer turns an
        // aborted request into an IOException at times, which would hide whether the client saw a timeout.
        using var network = new NetworkHandler(Server.CreateInlineHandler());
        using var clients = RetryingClients(network);
        var before = Clusters;
        // Far beyond the timeouts of all attempts together, so no delayed request can land during the test.
        Server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = step.Operation, LatencyMs = (int)TimeSpan.FromHours(1).TotalMilliseconds }] };

        var invocation = step.InvokeAsync(clients);
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            await network.NextRequestAsync();
            Time.Advance(RequestTimeout);
        }

        var error = (await FluentActions.Awaiting(() => invocation).Should().ThrowAsync<DsqlTransportException>()).Which;
        error.IsTimeout.Should().BeTrue();
        error.Message.Should().Contain($"after {Attempts} attempt(s)");
        network.Requests.Should().Be(Attempts);
        Clusters.Should().BeEquivalentTo(before);
    }

    private DsqlClientFactory RetryingClients(HttpMessageHandler network) =>
        new(
            new DsqlClientOptions
            {
                ServiceUrl = Server.BaseAddress,
                Credentials = new BasicAWSCredentials(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey),
                MaxAttempts = Attempts,
                BaseDelay = TimeSpan.Zero,
                RequestTimeout = RequestTimeout,
                RandomSeed = 1,
            },
            network,
            Time,
            environment: _ => null);

    /// <summary>Creates what the function needs to find (through the fault-free clients), and returns the call.</summary>
    private async Task<PreparedStep> PrepareAsync(string function)
    {
        switch (function)
        {
            case "CreatePrimaryCluster":
                return new("CreateCluster", c => Lambda.InvokeAsync(
                    StepUnderTest.Of(StepCatalog.CreatePrimaryCluster, c, Time, Logger).FunctionHandler,
                    new { executionName = Execution, stateMachineArn = StateMachine, region = Primary, witnessRegion = Witness }));
            case "CreatePeerCluster":
                var primaryArn = (await CreatePrimaryAsync()).Str("arn");
                return new("CreateCluster", c => Lambda.InvokeAsync(
                    StepUnderTest.Of(StepCatalog.CreatePeerCluster, c, Time, Logger).FunctionHandler,
                    new { executionName = Execution, stateMachineArn = StateMachine, region = Peer, witnessRegion = Witness, primaryArn }));
            case "LinkClusters":
                var primary = await CreatePrimaryAsync();
                var peerArn = (await CreatePeerAsync(primary.Str("arn")!)).Str("arn");
                return new("UpdateCluster", c => Lambda.InvokeAsync(
                    StepUnderTest.Of(StepCatalog.LinkClusters, c, Time, Logger).FunctionHandler,
                    new { executionName = Execution, stateMachineArn = StateMachine, region = Primary, identifier = primary.Str("identifier"), witnessRegion = Witness, peerArn }));
            case "DescribeCluster":
                var described = await CreatePrimaryAsync();
                return new("GetCluster", c => Lambda.InvokeAsync(
                    StepUnderTest.Of(StepCatalog.DescribeCluster, c, Time, Logger).FunctionHandler,
                    new { clusters = new[] { new { region = Primary, identifier = described.Str("identifier") } } }));
            case "SetDeletionProtection":
                var protectedId = (await CreatePrimaryAsync()).Str("identifier");
                return new("UpdateCluster", c => Lambda.InvokeAsync(
                    StepUnderTest.Of(StepCatalog.SetDeletionProtection, c, Time, Logger).FunctionHandler,
                    new { executionName = Execution, stateMachineArn = StateMachine, region = Primary, identifier = protectedId, enabled = false }));
            case "DeleteCluster":
                var unprotectedId = (await CreatePrimaryAsync(deletionProtection: false)).Str("identifier");
                return new("DeleteCluster", c => Lambda.InvokeAsync(
                    StepUnderTest.Of(StepCatalog.DeleteCluster, c, Time, Logger).FunctionHandler,
                    new { executionName = Execution, stateMachineArn = StateMachine, region = Primary, identifier = unprotectedId }));
            case "ConfirmClusterGone":
                // Not being deleted, so that moving the clock in the timeout case cannot change its state.
                var leavingId = (await CreatePrimaryAsync()).Str("identifier");
                return new("GetCluster", c => Lambda.InvokeAsync(
                    StepUnderTest.Of(StepCatalog.ConfirmClusterGone, c, Time, Logger).FunctionHandler,
                    new { clusters = new[] { new { region = Primary, identifier = leavingId } } }));
            case "UpdateClusterTags":
                var tagged = await CreatePrimaryAsync();
                return new("TagResource", c => Lambda.InvokeAsync(
                    StepUnderTest.Of(StepCatalog.UpdateClusterTags, c, Time, Logger).FunctionHandler,
                    new { executionName = Execution, region = Primary, identifier = tagged.Str("identifier"), arn = tagged.Str("arn"), tags = new Dictionary<string, string> { ["retire-after"] = "2026-12-31" } }));
            default:
                throw new ArgumentOutOfRangeException(nameof(function), function, "not a DSQL-calling function");
        }
    }

    private sealed record PreparedStep(string Operation, Func<IDsqlClientFactory, Task<JsonElement>> InvokeAsync);
}
