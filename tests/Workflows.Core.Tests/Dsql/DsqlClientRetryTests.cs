using System.Net;
using System.Text.Json;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;

namespace Workflows.Core.Tests.Dsql;

// Standard-mode retries on a fake clock: the test waits for the client to start each delay, checks its
// length, and advances the clock by exactly that much.
public class DsqlClientRetryTests : ClientTestBase
{
    private const string Throttled = """{"message":"Rate exceeded"}""";

    private static CreateClusterRequest Create(string? token) => new() { ClientToken = token, MultiRegionProperties = new MultiRegionProperties { WitnessRegion = "us-west-2" } };

    [Fact]
    public async Task CreateClusterAsync_ThrottledWithRetryAfter_WaitsExactlyThatLongAndResendsTheSameToken()
    {
        Handler.RespondError(HttpStatusCode.TooManyRequests, "ThrottlingException", Throttled, ("Retry-After", "2"))
            .Respond(HttpStatusCode.OK, ClusterJson);

        var call = Client().CreateClusterAsync(Create("exec-1/create-primary"));
        var delay = await Time.NextTimerAsync(ignore: RequestTimeout);
        delay.Should().Be(TimeSpan.FromSeconds(2));
        call.IsCompleted.Should().BeFalse();

        Time.Advance(delay);
        (await call).Identifier.Should().Be("abcdefghijklmnopqrstuvwxyz");
        Handler.Requests.Should().HaveCount(2);
        Handler.Requests.Select(r => JsonDocument.Parse(r.Body!).RootElement.GetProperty("clientToken").GetString())
            .Should().AllBe("exec-1/create-primary");
        Handler.Requests[1].Headers["X-Amz-Date"].Should().Be("20261126T120002Z", "each attempt is signed afresh at the clock's time");
    }

    [Fact]
    public async Task GetClusterAsync_ServerErrors_BacksOffWithFullJitterUnderTheExponentialCeiling()
    {
        Handler.RespondError(HttpStatusCode.InternalServerError, "InternalServerException", """{"message":"a"}""")
            .RespondError(HttpStatusCode.InternalServerError, "InternalServerException", """{"message":"b"}""")
            .Respond(HttpStatusCode.OK, ClusterJson);

        // The same seed's draws scaled to the ceilings 1 s × 2^0 and 1 s × 2^1: a fixed or un-jittered
        // backoff could not produce both.
        var draws = new Random(11);
        var expectedFirst = TimeSpan.FromMilliseconds(Math.Floor(1000 * draws.NextDouble()));
        var expectedSecond = TimeSpan.FromMilliseconds(Math.Floor(2000 * draws.NextDouble()));

        var call = Client(seed: 11).GetClusterAsync("abcdefghijklmnopqrstuvwxyz");
        var first = await Time.NextTimerAsync(RequestTimeout);
        first.Should().Be(expectedFirst);
        Time.Advance(first);
        var second = await Time.NextTimerAsync(RequestTimeout);
        second.Should().Be(expectedSecond);
        Time.Advance(second);

        (await call).Status.Should().Be(ClusterStatus.Active);
        Handler.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task GetClusterAsync_SameSeed_DrawsTheSameDelays()
    {
        async Task<TimeSpan> FirstDelay(int seed)
        {
            using var scope = new Scope();
            scope.Handler.RespondError(HttpStatusCode.InternalServerError, "InternalServerException", "{}").Respond(HttpStatusCode.OK, ClusterJson);
            var call = scope.Client(seed).GetClusterAsync("abcdefghijklmnopqrstuvwxyz");
            var delay = await scope.Time.NextTimerAsync(RequestTimeout);
            scope.Time.Advance(delay);
            await call;
            return delay;
        }

        (await FirstDelay(42)).Should().Be(await FirstDelay(42));
        (await FirstDelay(42)).Should().NotBe(await FirstDelay(43));
    }

    [Fact]
    public async Task GetClusterAsync_ServerErrorEveryTime_GivesUpAfterThreeAttempts()
    {
        for (var i = 0; i < 3; i++)
        {
            Handler.RespondError(HttpStatusCode.InternalServerError, "InternalServerException", """{"message":"still down"}""");
        }

        var call = Client().GetClusterAsync("abcdefghijklmnopqrstuvwxyz");
        Time.Advance(await Time.NextTimerAsync(RequestTimeout));
        Time.Advance(await Time.NextTimerAsync(RequestTimeout));

        (await call.Invoking(c => c).Should().ThrowAsync<InternalServerException>()).Which.Message.Should().Be("still down");
        Handler.Requests.Should().HaveCount(3);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, "ValidationException")]
    [InlineData(HttpStatusCode.NotFound, "ResourceNotFoundException")]
    [InlineData(HttpStatusCode.Conflict, "ConflictException")]
    [InlineData(HttpStatusCode.Forbidden, "AccessDeniedException")]
    [InlineData(HttpStatusCode.PaymentRequired, "ServiceQuotaExceededException")]
    public async Task GetClusterAsync_ClientError_IsNotRetried(HttpStatusCode status, string errorType)
    {
        Handler.RespondError(status, errorType, """{"message":"no"}""");
        var act = () => Client().GetClusterAsync("abcdefghijklmnopqrstuvwxyz");
        (await act.Should().ThrowAsync<DsqlServiceException>()).Which.ErrorCode.Should().Be(errorType);
        Handler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task GetClusterAsync_ConnectionRefusedThenAnswer_RetriesTransportFault()
    {
        Handler.Fail(new HttpRequestException("Connection refused")).Respond(HttpStatusCode.OK, ClusterJson);

        var call = Client().GetClusterAsync("abcdefghijklmnopqrstuvwxyz");
        Time.Advance(await Time.NextTimerAsync(RequestTimeout));

        (await call).Identifier.Should().NotBeEmpty();
        Handler.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task CreateClusterAsync_TransportFaultWithoutClientToken_IsNotResentBecauseItMayHaveCreatedACluster()
    {
        Handler.Fail(new HttpRequestException("Connection reset"));

        var act = () => Client().CreateClusterAsync(Create(token: null));
        var ex = (await act.Should().ThrowAsync<DsqlTransportException>()).Which;
        ex.Message.Should().Contain("CreateCluster").And.Contain("1 attempt");
        Handler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task CreateClusterAsync_ServerErrorWithoutClientToken_IsNotResent()
    {
        Handler.RespondError(HttpStatusCode.InternalServerError, "InternalServerException", "{}");
        var act = () => Client().CreateClusterAsync(Create(token: null));
        await act.Should().ThrowAsync<InternalServerException>();
        Handler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task CreateClusterAsync_ThrottledWithoutClientToken_IsResentBecauseAThrottleProvesNothingHappened()
    {
        Handler.RespondError(HttpStatusCode.TooManyRequests, "ThrottlingException", Throttled, ("Retry-After", "1"))
            .Respond(HttpStatusCode.OK, ClusterJson);

        var call = Client().CreateClusterAsync(Create(token: null));
        Time.Advance(await Time.NextTimerAsync(RequestTimeout));

        await call;
        Handler.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task DeleteClusterAsync_ServerErrorWithoutClientToken_IsNotResentBecauseADoneDeleteWouldComeBackAsConflict()
    {
        Handler.RespondError(HttpStatusCode.InternalServerError, "InternalServerException", "{}");
        var act = () => Client().DeleteClusterAsync(new DeleteClusterRequest { Identifier = "abcdefghijklmnopqrstuvwxyz" });
        await act.Should().ThrowAsync<InternalServerException>();
        Handler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task DeleteClusterAsync_TransportFaultWithClientToken_IsResentWithTheSameToken()
    {
        Handler.Fail(new HttpRequestException("Connection reset")).Respond(HttpStatusCode.OK, StatusJson);

        var call = Client().DeleteClusterAsync(new DeleteClusterRequest { Identifier = "abcdefghijklmnopqrstuvwxyz", ClientToken = "exec-1/delete-primary" });
        Time.Advance(await Time.NextTimerAsync(RequestTimeout));

        await call;
        Handler.Requests.Select(r => r.Uri.Query).Should().Equal("?client-token=exec-1%2Fdelete-primary", "?client-token=exec-1%2Fdelete-primary");
    }

    [Fact]
    public async Task UpdateClusterAsync_TransportFaultWithoutClientToken_IsNotResent()
    {
        Handler.Fail(new HttpRequestException("Connection reset"));
        var act = () => Client().UpdateClusterAsync(new UpdateClusterRequest { Identifier = "abcdefghijklmnopqrstuvwxyz", DeletionProtectionEnabled = false });
        await act.Should().ThrowAsync<DsqlTransportException>();
        Handler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task TagResourceAsync_ServerError_IsResentBecauseTaggingTwiceIsHarmless()
    {
        Handler.RespondError(HttpStatusCode.InternalServerError, "InternalServerException", "{}").Respond(HttpStatusCode.OK, "{}");

        var call = Client().TagResourceAsync(new TagResourceRequest { ResourceArn = "arn:aws:dsql:us-east-1:123456789012:cluster/abc", Tags = new Dictionary<string, string> { ["a"] = "b" } });
        Time.Advance(await Time.NextTimerAsync(RequestTimeout));

        await call;
        Handler.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task CreateClusterAsync_TransportFaultWithClientToken_IsResent()
    {
        Handler.Fail(new HttpRequestException("Connection reset")).Respond(HttpStatusCode.OK, ClusterJson);

        var call = Client().CreateClusterAsync(Create("tok"));
        Time.Advance(await Time.NextTimerAsync(RequestTimeout));

        await call;
        Handler.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task GetClusterAsync_NoAnswerWithinTimeout_AbandonsTheAttemptAndFinallyReportsATimeout()
    {
        Handler.Hang().Hang().Hang();
        var call = Client().GetClusterAsync("abcdefghijklmnopqrstuvwxyz");

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            // The attempt's timeout timer, then (but for the last attempt) the backoff.
            (await Time.NextTimerAsync(ignore: TimeSpan.MinValue)).Should().Be(RequestTimeout);
            Time.Advance(RequestTimeout);
            if (attempt < 3)
            {
                Time.Advance(await Time.NextTimerAsync(RequestTimeout));
            }
        }

        var ex = (await call.Invoking(c => c).Should().ThrowAsync<DsqlTransportException>()).Which;
        ex.IsTimeout.Should().BeTrue();
        ex.Message.Should().Contain("after 3 attempt(s)").And.Contain("30 s");
        Handler.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task GetClusterAsync_RetryAfterLongerThanAllowed_ReturnsTheThrottleToTheCaller()
    {
        Handler.RespondError(HttpStatusCode.TooManyRequests, "ThrottlingException", Throttled, ("Retry-After", "120"));
        var act = () => Client(maxRetryAfter: TimeSpan.FromSeconds(20)).GetClusterAsync("abcdefghijklmnopqrstuvwxyz");
        (await act.Should().ThrowAsync<ThrottlingException>()).Which.RetryAfter.Should().Be(TimeSpan.FromMinutes(2));
        Handler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task GetClusterAsync_CancelledDuringBackoff_StopsAtOnce()
    {
        Handler.RespondError(HttpStatusCode.InternalServerError, "InternalServerException", "{}");
        using var cts = new CancellationTokenSource();
        var call = Client().GetClusterAsync("abcdefghijklmnopqrstuvwxyz", cts.Token);
        await Time.NextTimerAsync(RequestTimeout);

        await cts.CancelAsync();

        await call.Invoking(c => c).Should().ThrowAsync<OperationCanceledException>();
        Handler.Requests.Should().ContainSingle();
    }

    private sealed class Scope : ClientTestBase;
}
