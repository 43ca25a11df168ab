using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Workflows.Core.Errors;
using Workflows.Core.Steps;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

public sealed class ValidateUpdateRequestFunctionTests
{
    private const string Pair = "\"primary\":{\"region\":\"us-east-1\",\"identifier\":\"q4abtx7ukcmhsdnk2vzp3ewl5y\"},\"peer\":{\"arn\":\"arn:aws:dsql:us-east-2:123456789012:cluster/r7cdvy2mfqjt8wbn4xkz6ahs3u\"}";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 8, 30, 0, TimeSpan.Zero));

    private Task<JsonElement> ValidateAsync(string members) =>
        Lambda.InvokeAsync(StepUnderTest.Of(StepCatalog.ValidateUpdateRequest, _time, NullLogger.Instance).FunctionHandler, "{\"request\":{" + Pair + members + "}}");

    [Fact]
    public async Task ValidateUpdateRequest_HappyPath_NormalizesThePairPlansBothChangesAndStartsThePoll()
    {
        var output = await ValidateAsync(",\"deletionProtection\":false,\"tags\":{\"retire-after\":\"2026-12-31\"},\"untagKeys\":[\"on-call\",\"on-call\"]");

        var request = output.GetProperty("request");
        request.GetProperty("peer").Str("identifier").Should().Be("r7cdvy2mfqjt8wbn4xkz6ahs3u");
        request.GetProperty("peer").Str("region").Should().Be("us-east-2");
        request.GetProperty("deletionProtection").GetBoolean().Should().BeFalse();
        request.GetProperty("untagKeys").EnumerateArray().Select(k => k.GetString()).Should().Equal("on-call");
        new[] { "initialDelaySeconds", "minDelaySeconds", "maxDelaySeconds", "deadlineSeconds", "maxAttempts" }
            .Select(name => request.GetProperty("polling").GetProperty(name).GetInt32()).Should().Equal(5, 5, 30, 1800, 100);
        output.GetProperty("plan").GetProperty("tags").GetBoolean().Should().BeTrue();
        output.GetProperty("plan").GetProperty("deletionProtection").GetBoolean().Should().BeTrue();
        output.GetProperty("poll").Str("startedAt").Should().Be("2026-11-26T08:30:00Z");
        output.GetProperty("poll").GetProperty("nextWaitSeconds").GetInt32().Should().Be(5);
        output.GetProperty("before").ValueKind.Should().Be(JsonValueKind.Null);
        output.GetProperty("updates").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task ValidateUpdateRequest_ProtectionOnly_LeavesTheTagsOutOfThePlanAndTheFlagPresent()
    {
        var output = await ValidateAsync(",\"deletionProtection\":true");

        output.GetProperty("plan").GetProperty("tags").GetBoolean().Should().BeFalse();
        output.GetProperty("request").GetProperty("deletionProtection").GetBoolean().Should().BeTrue();
        output.GetProperty("request").GetProperty("tags").EnumerateObject().Should().BeEmpty();
    }

    [Fact]
    public async Task ValidateUpdateRequest_TagsOnly_LeavesProtectionOutOfTheRequest()
    {
        var output = await ValidateAsync(",\"tags\":{\"team\":\"data\"}");

        output.GetProperty("plan").GetProperty("deletionProtection").GetBoolean().Should().BeFalse();
        output.GetProperty("request").TryGetProperty("deletionProtection", out _).Should().BeFalse("the machine tests its presence");
    }

    [Theory]
    [InlineData("", "request: asks for no change: give deletionProtection, tags or untagKeys")]
    [InlineData(",\"tags\":{\"workflows:execution\":\"x\"}", "tags: tag key 'workflows:execution' uses the reserved prefix 'workflows:'")]
    [InlineData(",\"untagKeys\":[\"aws:cloudformation:stack-name\"]", "untagKeys: tag key 'aws:cloudformation:stack-name' uses the reserved prefix 'aws:'")]
    [InlineData(",\"tags\":{\"a\":\"1\"},\"untagKeys\":[\"a\"]", "untagKeys: 'a' is also in tags: a key is either set or removed")]
    [InlineData(",\"deletionProtection\":\"off\"", "request.deletionProtection")]
    [InlineData(",\"deletionProtection\":true,\"polling\":{\"initialDelaySeconds\":1800}", "polling.initialDelaySeconds: must be less than polling.deadlineSeconds (1800)")]
    public async Task ValidateUpdateRequest_BadRequest_InvalidRequestExceptionNamingTheField(string members, string message)
    {
        var error = (await FluentActions.Awaiting(() => ValidateAsync(members)).Should().ThrowAsync<InvalidRequestException>()).Which;

        error.Message.Should().StartWith(message);
    }

    [Fact]
    public async Task ValidateUpdateRequest_BothClustersInOneRegion_InvalidRequestException()
    {
        const string json = """{"request":{"primary":{"region":"us-east-1","identifier":"q4abtx7ukcmhsdnk2vzp3ewl5y"},"peer":{"region":"us-east-1","identifier":"r7cdvy2mfqjt8wbn4xkz6ahs3u"},"deletionProtection":true}}""";

        await FluentActions.Awaiting(() => Lambda.InvokeAsync(StepUnderTest.Of(StepCatalog.ValidateUpdateRequest, _time, NullLogger.Instance).FunctionHandler, json))
            .Should().ThrowAsync<InvalidRequestException>().WithMessage("peer.region: must differ from primary.region*");
    }
}
