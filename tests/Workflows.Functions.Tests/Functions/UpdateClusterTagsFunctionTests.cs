using System.Text.Json;
using DsqlLocal;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Errors;
using Workflows.Core.Steps;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

/// <summary>UpdateClusterTags through its handler against DSQL Local in-process.</summary>
public sealed class UpdateClusterTagsFunctionTests : DsqlLocalTestBase
{
    private StepUnderTest Function() => StepUnderTest.Of(StepCatalog.UpdateClusterTags, Clients, Time, Logger);

    private Task<JsonElement> UpdateAsync(object payload) => Lambda.InvokeAsync(Function().FunctionHandler, payload);

    private static Dictionary<string, string> Tags(params (string Key, string Value)[] tags) => tags.ToDictionary(t => t.Key, t => t.Value);

    [Fact]
    public async Task FunctionHandler_HappyPath_SetsAndRemovesTagsAndKeepsTheWorkflowsOwn()
    {
        var primary = await CreatePrimaryAsync();
        var id = primary.Str("identifier")!;

        var output = await UpdateAsync(new { executionName = Execution, region = Primary, identifier = id, arn = primary.Str("arn"), tags = Tags(("retire-after", "2026-12-31")), untagKeys = new[] { "team" } });

        Cluster(id).Tags.Should().Contain("retire-after", "2026-12-31").And.NotContainKey("team")
            .And.ContainKey("workflows:execution").And.ContainKey("workflows:state-machine");
        output.Str("arn").Should().Be(primary.Str("arn"));
        output.GetProperty("tagged").GetProperty("retire-after").GetString().Should().Be("2026-12-31");
        output.GetProperty("untagged").EnumerateArray().Select(k => k.GetString()).Should().Equal("team");
    }

    [Fact]
    public async Task FunctionHandler_WithoutArn_LooksItUpWithGetCluster()
    {
        var primary = await CreatePrimaryAsync();

        var output = await UpdateAsync(new { region = Primary, identifier = primary.Str("identifier"), tags = Tags(("team", "payments")) });

        output.Str("arn").Should().Be(primary.Str("arn"));
        Cluster(primary.Str("identifier")!).Tags.Should().Contain("team", "payments");
    }

    [Fact]
    public async Task FunctionHandler_SameInputTwice_SucceedsBothTimesWithTheSameTags()
    {
        var primary = await CreatePrimaryAsync();
        var payload = new { executionName = Execution, region = Primary, identifier = primary.Str("identifier"), arn = primary.Str("arn"), tags = Tags(("a", "1")), untagKeys = new[] { "team" } };

        await UpdateAsync(payload);
        var before = Cluster(primary.Str("identifier")!).Tags;
        await UpdateAsync(payload);

        Cluster(primary.Str("identifier")!).Tags.Should().BeEquivalentTo(before, "a retry or a re-run changes nothing more");
    }

    [Theory]
    [InlineData("{\"workflows:execution\":\"x\"}", null, "tags", "workflows:")]
    [InlineData("{\"AWS:cloudformation\":\"x\"}", null, "tags", "aws:")]
    [InlineData(null, "[\"workflows:state-machine\"]", "untagKeys", "workflows:")]
    [InlineData(null, "[\"aws:created-by\"]", "untagKeys", "aws:")]
    public async Task FunctionHandler_ReservedPrefix_InvalidRequestExceptionAndNoCall(string? tags, string? untagKeys, string field, string prefix)
    {
        var primary = await CreatePrimaryAsync();
        var before = Cluster(primary.Str("identifier")!).Tags;
        var json = $"{{\"region\":\"{Primary}\",\"identifier\":\"{primary.Str("identifier")}\",\"arn\":\"{primary.Str("arn")}\"" +
            (tags is null ? string.Empty : $",\"tags\":{tags}") + (untagKeys is null ? string.Empty : $",\"untagKeys\":{untagKeys}") + "}";

        var error = (await FluentActions.Awaiting(() => Lambda.InvokeAsync(Function().FunctionHandler, json)).Should().ThrowAsync<InvalidRequestException>()).Which;

        error.Message.Should().StartWith($"{field}:").And.Contain($"reserved prefix '{prefix}'");
        Cluster(primary.Str("identifier")!).Tags.Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task FunctionHandler_KeySetAndRemovedAtOnce_InvalidRequestException()
    {
        var error = (await FluentActions.Awaiting(() => UpdateAsync(new { region = Primary, identifier = "abcdefghijklmnopqrstuvwxyz", tags = Tags(("team", "x")), untagKeys = new[] { "team" } }))
            .Should().ThrowAsync<InvalidRequestException>()).Which;

        error.Message.Should().Be("untagKeys: 'team' is also in tags: a key is either set or removed");
    }

    [Fact]
    public async Task FunctionHandler_ArnOfAnotherCluster_InvalidRequestException()
    {
        await FluentActions.Awaiting(() => UpdateAsync(new
        {
            region = Primary,
            identifier = "abcdefghijklmnopqrstuvwxyz",
            arn = "arn:aws:dsql:us-east-1:123456789012:cluster/zyxwvutsrqponmlkjihgfedcba",
            tags = Tags(("a", "1")),
        })).Should().ThrowAsync<InvalidRequestException>().WithMessage("arn: *does not name abcdefghijklmnopqrstuvwxyz in us-east-1");
    }

    [Fact]
    public async Task FunctionHandler_MissingCluster_ResourceNotFoundException()
    {
        await FluentActions.Awaiting(() => UpdateAsync(new { region = Primary, identifier = "abcdefghijklmnopqrstuvwxyz", tags = Tags(("a", "1")) }))
            .Should().ThrowAsync<ResourceNotFoundException>();
    }

    [Fact]
    public async Task FunctionHandler_RetryPath_ThrottledTagResourceSurfacesAsThrottlingExceptionAndTagsNothing()
    {
        var primary = await CreatePrimaryAsync();
        var before = Cluster(primary.Str("identifier")!).Tags;
        Server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "TagResource", ThrottleRate = 1, RetryAfterSeconds = 30 }] };

        var error = (await FluentActions.Awaiting(() => UpdateAsync(new { region = Primary, identifier = primary.Str("identifier"), arn = primary.Str("arn"), tags = Tags(("a", "1")) }))
            .Should().ThrowAsync<ThrottlingException>()).Which;

        error.IsRetryable.Should().BeTrue("the state machine's retrier runs it again");
        Cluster(primary.Str("identifier")!).Tags.Should().BeEquivalentTo(before);
    }

    [Fact]
    public async Task FunctionHandler_OverTheTagQuota_ServiceQuotaExceededExceptionAndTagsNothing()
    {
        // The cluster has team and the workflows' two; 198 more (the most a request may ask for) make 201.
        var primary = await CreatePrimaryAsync();
        var before = Cluster(primary.Str("identifier")!).Tags;
        var many = Enumerable.Range(0, 198).ToDictionary(i => $"k{i}", i => "v");

        await FluentActions.Awaiting(() => UpdateAsync(new { region = Primary, identifier = primary.Str("identifier"), arn = primary.Str("arn"), tags = many }))
            .Should().ThrowAsync<ServiceQuotaExceededException>();
        Cluster(primary.Str("identifier")!).Tags.Should().BeEquivalentTo(before);
    }
}
