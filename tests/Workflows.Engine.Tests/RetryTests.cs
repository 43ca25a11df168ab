using Workflows.Engine.Retry;
using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class RetryTests
{
    private static async Task<(ExecutionResult Result, ScriptedInvoker Invoker)> RunTaskAsync(string fields, ScriptedInvoker invoker, int seed = 7, string input = "{}")
    {
        var result = await Asl.RunAsync(Asl.Single(Asl.Task(fields)), input, Asl.Options(invoker, seed));
        return (result, invoker);
    }

    [Fact]
    public async Task Retry_Defaults_ThreeRetriesAtOneTwoFourSeconds()
    {
        var (result, invoker) = await RunTaskAsync("\"Retry\":[{\"ErrorEquals\":[\"E\"]}]", ScriptedInvoker.AlwaysFail("E"));
        result.Error.Should().Be("E");
        invoker.SecondsSinceFirstCall().Should().Equal(0, 1, 3, 7);
    }

    [Fact]
    public async Task Retry_MaxAttemptsZero_NeverRetries()
    {
        var (_, invoker) = await RunTaskAsync("\"Retry\":[{\"ErrorEquals\":[\"E\"],\"MaxAttempts\":0}]", ScriptedInvoker.AlwaysFail("E"));
        invoker.Calls.Should().HaveCount(1);
    }

    [Fact]
    public async Task Retry_IntervalAndBackoffRate_Exponential()
    {
        var (_, invoker) = await RunTaskAsync("\"Retry\":[{\"ErrorEquals\":[\"E\"],\"IntervalSeconds\":2,\"BackoffRate\":3,\"MaxAttempts\":3}]", ScriptedInvoker.AlwaysFail("E"));
        invoker.SecondsSinceFirstCall().Should().Equal(0, 2, 8, 26);
    }

    [Fact]
    public async Task Retry_MaxDelaySeconds_CapsDelay()
    {
        var (_, invoker) = await RunTaskAsync("\"Retry\":[{\"ErrorEquals\":[\"E\"],\"BackoffRate\":10,\"MaxDelaySeconds\":5,\"MaxAttempts\":3}]", ScriptedInvoker.AlwaysFail("E"));
        invoker.SecondsSinceFirstCall().Should().Equal(0, 1, 6, 11);
    }

    [Fact]
    public async Task Retry_FullJitterSameSeed_ReproducibleDelaysWithinBound()
    {
        const string fields = "\"Retry\":[{\"ErrorEquals\":[\"E\"],\"IntervalSeconds\":10,\"MaxAttempts\":4,\"JitterStrategy\":\"FULL\"}]";
        var (_, first) = await RunTaskAsync(fields, ScriptedInvoker.AlwaysFail("E"), seed: 123);
        var (_, second) = await RunTaskAsync(fields, ScriptedInvoker.AlwaysFail("E"), seed: 123);
        first.SecondsSinceFirstCall().Should().Equal(second.SecondsSinceFirstCall());
        var times = first.SecondsSinceFirstCall().ToList();
        var delays = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        delays.Should().HaveCount(4);
        delays.Select((d, n) => d <= 10 * Math.Pow(2, n)).Should().AllBeEquivalentTo(true);
        delays.Should().NotEqual([10.0, 20.0, 40.0, 80.0]);
    }

    [Fact]
    public void Retrier_DelayFor_JitterUniformInZeroToDelay()
    {
        var retrier = new Retrier { ErrorEquals = ["E"], IntervalSeconds = 4, Jitter = JitterStrategy.Full };
        var random = new Random(1);
        Enumerable.Range(0, 200).Select(_ => retrier.DelayFor(1, random)).Should().OnlyContain(d => d >= TimeSpan.Zero && d <= TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task Retry_CountersResetOnEachEntryIntoState()
    {
        // Each entry fails once then succeeds; with one allowed retry the second entry only passes if its counter restarted.
        var invoker = ScriptedInvoker.FailOn("E", 0, 2);
        var result = await Asl.RunAsync("""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"arn:aws:states:::test:run","ResultPath":null,"Retry":[{"ErrorEquals":["E"],"MaxAttempts":1}],"Next":"Count"},
              "Count":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"Again"},
              "Again":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":2,"Next":"T"}],"Default":"Done"},
              "Done":{"Type":"Succeed"}}}
            """, """{"n":0}""", Asl.Options(invoker));
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        invoker.Calls.Should().HaveCount(4);
    }

    [Fact]
    public async Task Retry_ExhaustedRetrier_DoesNotFallThroughAndGoesToCatch()
    {
        var invoker = ScriptedInvoker.AlwaysFail("E");
        var result = await Asl.RunAsync("""
            {"StartAt":"T","States":{
              "T":{"Type":"Task","Resource":"arn:aws:states:::test:run","End":true,
                   "Retry":[{"ErrorEquals":["E"],"MaxAttempts":1},{"ErrorEquals":["States.ALL"],"MaxAttempts":5}],
                   "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}]},
              "Caught":{"Type":"Pass","End":true}}}
            """, "{}", Asl.Options(invoker));
        invoker.Calls.Should().HaveCount(2);
        result.Status.Should().Be(ExecutionStatus.Succeeded);
        result.Output()!["Error"]!.GetValue<string>().Should().Be("E");
    }

    [Fact]
    public async Task Retry_FirstMatchingRetrierInOrderDecides()
    {
        var (_, invoker) = await RunTaskAsync(
            "\"Retry\":[{\"ErrorEquals\":[\"E\"],\"MaxAttempts\":1,\"IntervalSeconds\":1},{\"ErrorEquals\":[\"E\"],\"MaxAttempts\":3,\"IntervalSeconds\":10}]",
            ScriptedInvoker.AlwaysFail("E"));
        invoker.SecondsSinceFirstCall().Should().Equal(0, 1);
    }

    [Fact]
    public async Task Retry_ErrorNamesAreCaseSensitive()
    {
        var (result, invoker) = await RunTaskAsync("\"Retry\":[{\"ErrorEquals\":[\"e\"]}]", ScriptedInvoker.AlwaysFail("E"));
        invoker.Calls.Should().HaveCount(1);
        result.Error.Should().Be("E");
    }

    [Fact]
    public async Task Retry_StatesAll_MatchesCustomError()
    {
        var (result, invoker) = await RunTaskAsync("\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"],\"MaxAttempts\":1}]", ScriptedInvoker.FailOn("Anything", 0));
        result.Status.Should().Be(ExecutionStatus.Succeeded);
        invoker.Calls.Should().HaveCount(2);
    }

    [Fact]
    public async Task Retry_StatesTaskFailed_MatchesTaskErrors()
    {
        var (result, invoker) = await RunTaskAsync("\"Retry\":[{\"ErrorEquals\":[\"States.TaskFailed\"],\"MaxAttempts\":1}]", ScriptedInvoker.FailOn("Lambda.Unknown", 0));
        result.Status.Should().Be(ExecutionStatus.Succeeded);
        invoker.Calls.Should().HaveCount(2);
    }

    [Fact]
    public async Task Retry_StatesAll_DoesNotMatchStatesRuntime()
    {
        var (result, invoker) = await RunTaskAsync(
            "\"OutputPath\":\"$.missing\",\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"]}],\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"S\"}]",
            ScriptedInvoker.Echo());
        result.Error.Should().Be("States.Runtime");
        invoker.Calls.Should().HaveCount(1);
    }

    [Fact]
    public async Task Catch_StatesAll_CatchesTaskResultOverLimit()
    {
        // Recorded on AWS: a States.ALL catcher catches a task result over 256 KiB, the cause naming the integration.
        var big = new string('x', 300_000);
        var invoker = new ScriptedInvoker((_, _) => Task.FromResult<System.Text.Json.Nodes.JsonNode?>(big));
        var definition = """{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::test:run","Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],"End":true},"H":{"Type":"Pass","End":true}}}""";
        var result = await Asl.RunAsync(definition, "{}", Asl.Options(invoker));
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be("""{"Error":"States.DataLimitExceeded","Cause":"The state/task 'test' returned a result with a size exceeding the maximum number of bytes service limit."}""");
        invoker.Calls.Should().HaveCount(1);
    }

    [Fact]
    public void ErrorMatcher_StatesAll_DoesNotMatchStateOutputOverLimit() =>
        ErrorMatcher.Matches(["States.ALL"], new Errors.StatesDataLimitExceeded("over")).Should().BeFalse();

    [Fact]
    public async Task PassState_OutputOverLimit_FailsWithAwsWording()
    {
        var big = new string('x', 300_000);
        var result = await Asl.RunAsync(Asl.Single("{\"Type\":\"Pass\",\"Result\":\"" + big + "\",\"End\":true}"));
        result.Error.Should().Be("States.DataLimitExceeded");
        result.Cause.Should().Be("The state/task 'S' returned a result with a size exceeding the maximum number of bytes service limit.");
    }

    [Fact]
    public async Task Retry_RetryCountInContext_CountsAttempts()
    {
        var (_, invoker) = await RunTaskAsync("\"Parameters\":{\"rc.$\":\"$$.State.RetryCount\"},\"Retry\":[{\"ErrorEquals\":[\"E\"],\"MaxAttempts\":2}]", ScriptedInvoker.AlwaysFail("E"));
        invoker.Calls.Select(c => c.Parameters!["rc"]!.GetValue<int>()).Should().Equal(0, 1, 2);
        invoker.Calls.Select(c => c.RetryCount).Should().Equal(0, 1, 2);
    }

    [Fact]
    public async Task Retry_ParallelState_RetriesWholeState()
    {
        var invoker = ScriptedInvoker.FailOn("E", 0);
        var result = await Asl.RunAsync("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Retry":[{"ErrorEquals":["E"]}],"Branches":[
              {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::test:run","End":true}}}]}}}
            """, """{"v":1}""", Asl.Options(invoker));
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        result.Output().Json().Should().Be("""[{"v":1}]""");
        result.Types().Count(t => t == "ParallelStateStarted").Should().Be(2);
    }
}
