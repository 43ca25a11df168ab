using System.Net;
using System.Text;
using DsqlLocal.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace DsqlLocal.Tests;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task AnyOperation_ThrottleRateOne_Returns429WithRetryAfter()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.Faults = new FaultSettings
        {
            Rules = [new FaultRule { ThrottleRate = 1.0, RetryAfterSeconds = 7 }],
        });

        var response = await dsql.ListAsync();

        response.Status.Should().Be(HttpStatusCode.TooManyRequests);
        response.ErrorType.Should().Be("ThrottlingException");
        response.Header("Retry-After").Should().Be("7");
        response.String("__type").Should().Be("ThrottlingException");
        response.String("serviceCode").Should().Be("dsql");
        response.Json.GetProperty("quotaCode").GetString().Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task CreateCluster_InternalErrorRateOne_Returns500AndCreatesNothing()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.Faults = new FaultSettings
        {
            Rules = [new FaultRule { Operation = "CreateCluster", InternalErrorRate = 1.0 }],
        });

        var response = await dsql.CreateAsync("""{"clientToken":"same"}""");

        response.Status.Should().Be(HttpStatusCode.InternalServerError);
        response.ErrorType.Should().Be("InternalServerException");
        dsql.Server.GetClusters().Should().BeEmpty();
        (await dsql.ListAsync()).Status.Should().Be(HttpStatusCode.OK);

        // The faulted attempt left no trace: the same token now creates normally.
        dsql.Server.Faults = FaultSettings.None;
        (await dsql.CreateAsync("""{"clientToken":"same"}""")).Status.Should().Be(HttpStatusCode.OK);
        dsql.Server.GetClusters().Should().HaveCount(1);
    }

    [Fact]
    public async Task CreateCluster_ThrottledAttempt_HasNoEffect()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.Faults = new FaultSettings
        {
            Rules = [new FaultRule { Operation = "CreateCluster", ThrottleRate = 1.0 }],
        });

        (await dsql.CreateAsync()).Status.Should().Be(HttpStatusCode.TooManyRequests);

        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task FaultRule_ScopedToRegion_LeavesOtherRegionsAlone()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.Faults = new FaultSettings
        {
            Rules = [new FaultRule { Region = "us-east-2", ThrottleRate = 1.0 }],
        });

        (await dsql.ListAsync("us-east-2")).Status.Should().Be(HttpStatusCode.TooManyRequests);
        (await dsql.ListAsync("us-east-1")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SeededThrottleRate_SameSeed_GivesSameSequence()
    {
        var first = await StatusSequenceAsync(seed: 1234);
        var second = await StatusSequenceAsync(seed: 1234);

        second.Should().Equal(first);
        first.Should().Contain(HttpStatusCode.OK).And.Contain(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Outage_WindowInFakeTime_FailsOnlyThatRegionWhileOpen()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.Faults = new FaultSettings
        {
            Outages = [new OutageWindow { Region = "us-east-2", Start = FaultTime.FromSecondsAfterStart(60), End = FaultTime.FromSecondsAfterStart(120) }],
        });

        (await dsql.ListAsync("us-east-2")).Status.Should().Be(HttpStatusCode.OK);
        dsql.Advance(TimeSpan.FromSeconds(60));
        var during = await dsql.ListAsync("us-east-2");
        var elsewhere = await dsql.ListAsync("us-east-1");
        dsql.Advance(TimeSpan.FromSeconds(60));
        var after = await dsql.ListAsync("us-east-2");

        during.Status.Should().Be(HttpStatusCode.InternalServerError);
        during.ErrorType.Should().Be("InternalServerException");
        during.String("message").Should().Contain("unavailable (injected outage)");
        elsewhere.Status.Should().Be(HttpStatusCode.OK);
        after.Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Outage_AbsoluteTimestamps_AreHonoured()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.Faults = new FaultSettings
        {
            Outages = [new OutageWindow { Region = "*", Start = FaultTime.FromTimestamp(DsqlFixture.Epoch.AddHours(1)) }],
        });

        (await dsql.ListAsync()).Status.Should().Be(HttpStatusCode.OK);
        dsql.Advance(TimeSpan.FromHours(1));
        (await dsql.CreateAsync()).Status.Should().Be(HttpStatusCode.InternalServerError);
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task Latency_DelaysAnswerUntilServerClockAdvances()
    {
        var time = new TimerObservingTimeProvider(DsqlFixture.Epoch);
        await using var dsql = await DsqlFixture.StartAsync(
            o => o.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "ListClusters", LatencyMs = 3000 }] },
            time);

        var pending = dsql.ListAsync();
        await time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30));
        var completedBeforeAdvance = pending.IsCompleted;
        dsql.Advance(TimeSpan.FromSeconds(3));

        completedBeforeAdvance.Should().BeFalse();
        (await pending).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AdminFaults_PutGetDelete_ChangesBehaviour()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        const string settings = """
            {"rules":[{"operation":"ListClusters","region":"*","throttleRate":1,"retryAfterSeconds":3}],
             "outages":[{"region":"eu-west-1","start":0,"end":"2026-01-02T00:00:00Z"}]}
            """;

        var put = await dsql.Client.PutAsync(new Uri("/_dsql-local/faults", UriKind.Relative), new StringContent(settings, Encoding.UTF8, "application/json"));
        put.StatusCode.Should().Be(HttpStatusCode.OK);
        var throttled = await dsql.ListAsync();
        var outage = await dsql.GetAsync("aaaaaaaaaaaaaaaaaaaaaaaaaa", "eu-west-1");
        var current = await dsql.Client.GetStringAsync(new Uri("/_dsql-local/faults", UriKind.Relative));
        (await dsql.Client.DeleteAsync(new Uri("/_dsql-local/faults", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        var cleared = await dsql.ListAsync();

        throttled.Status.Should().Be(HttpStatusCode.TooManyRequests);
        throttled.Header("Retry-After").Should().Be("3");
        outage.Status.Should().Be(HttpStatusCode.InternalServerError);
        current.Should().Contain("\"throttleRate\": 1").And.Contain("2026-01-02T00:00:00");
        dsql.Server.Faults.Rules.Should().BeEmpty();
        cleared.Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AdminFaults_InvalidSettings_Returns400AndKeepsOld()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var put = await dsql.Client.PutAsync(
            new Uri("/_dsql-local/faults", UriKind.Relative),
            new StringContent("""{"rules":[{"throttleRate":2}]}""", Encoding.UTF8, "application/json"));

        put.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await put.Content.ReadAsStringAsync()).Should().Contain("throttleRate");
        dsql.Server.Faults.Should().Be(FaultSettings.None);
    }

    [Theory]
    [InlineData("""{"rules":[{"operation":"CreateClusters","region":"us-east-1","throttleRate":1}]}""", "rules[0].operation", "CreateClusters")]
    [InlineData("""{"rules":[{"operation":"*"},{"operation":"CreateCluster","region":"US-EAST-1","throttleRate":1}]}""", "rules[1].region", "US-EAST-1")]
    [InlineData("""{"rules":[{"region":"useast1"}]}""", "rules[0].region", "useast1")]
    [InlineData("""{"rules":[{"internalErrorRate":-0.1}]}""", "internalErrorRate", "between 0 and 1")]
    [InlineData("""{"rules":[{"latencyMs":-5}]}""", "latencyMs", "non-negative")]
    [InlineData("""{"outages":[{"region":"us-east-2","start":60,"end":10}]}""", "outages[0].end", "after start")]
    [InlineData("""{"outages":[{"region":"us-east-2","start":"2026-01-02T00:00:00Z","end":"2026-01-01T00:00:00Z"}]}""", "outages[0].end", "after start")]
    [InlineData("""{"outages":[{"region":"Mars"}]}""", "outages[0].region", "Mars")]
    [InlineData("""{"outages":[{"start":1e300}]}""", "start", "finite")]
    public async Task AdminFaults_RuleThatCanNeverApply_Returns400NamingFieldAndKeepsOld(string settings, string field, string detail)
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var old = new FaultSettings { Rules = [new FaultRule { Operation = "GetCluster", LatencyMs = 1 }] };
        dsql.Server.Faults = old;

        var put = await dsql.Client.PutAsync(
            new Uri("/_dsql-local/faults", UriKind.Relative),
            new StringContent(settings, Encoding.UTF8, "application/json"));

        put.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await put.Content.ReadAsStringAsync()).Should().Contain(field).And.Contain(detail);
        dsql.Server.Faults.Should().BeSameAs(old);
    }

    [Fact]
    public async Task AdminFaults_CaseOfOperationAndMixedOutageKinds_AreAccepted()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var put = await dsql.Client.PutAsync(
            new Uri("/_dsql-local/faults", UriKind.Relative),
            new StringContent(
                """{"rules":[{"operation":"listclusters","region":"eu-west-1","throttleRate":1}],"outages":[{"region":"*","start":"2030-01-01T00:00:00Z","end":10}]}""",
                Encoding.UTF8,
                "application/json"));

        put.StatusCode.Should().Be(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        (await dsql.ListAsync(region: "eu-west-1")).Status.Should().Be(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task ServerFaults_InvalidRuleInCode_ThrowsAndKeepsOld()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var assign = () => dsql.Server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "Nope" }] };
        var start = () => DsqlLocalServer.StartAsync(
            new DsqlLocalOptions { Faults = new FaultSettings { Outages = [new OutageWindow { Region = "US-EAST-1" }] } },
            inProcess: true);

        assign.Should().Throw<ArgumentException>().WithMessage("*rules[0].operation*Nope*");
        (await start.Should().ThrowAsync<ArgumentException>()).WithMessage("*outages[0].region*");
        dsql.Server.Faults.Should().Be(FaultSettings.None);
    }

    [Fact]
    public async Task AdminClustersAndReset_DumpAndClearState()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var id = (await dsql.CreateOkAsync("""{"tags":{"k":"v"}}""")).GetProperty("identifier").GetString()!;

        var dump = await dsql.Client.GetStringAsync(new Uri("/_dsql-local/clusters", UriKind.Relative));
        var reset = await dsql.Client.PostAsync(new Uri("/_dsql-local/reset", UriKind.Relative), null);

        dump.Should().Contain(id).And.Contain("CREATING");
        reset.StatusCode.Should().Be(HttpStatusCode.OK);
        dsql.Server.GetClusters().Should().BeEmpty();
        (await dsql.GetAsync(id)).Status.Should().Be(HttpStatusCode.NotFound);
    }

    /// <summary>Lets a test wait until the server has started its delay, instead of racing it.</summary>
    private sealed class TimerObservingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task TimerCreated => _timerCreated.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            _timerCreated.TrySetResult();
            return timer;
        }
    }

    private static async Task<List<HttpStatusCode>> StatusSequenceAsync(int seed)
    {
        await using var dsql = await DsqlFixture.StartAsync(o =>
        {
            o.Seed = seed;
            o.Faults = new FaultSettings { Rules = [new FaultRule { ThrottleRate = 0.5 }] };
        });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 24; i++)
        {
            statuses.Add((await dsql.ListAsync()).Status);
        }

        return statuses;
    }
}
