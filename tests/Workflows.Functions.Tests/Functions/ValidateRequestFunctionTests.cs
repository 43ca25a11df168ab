using Workflows.Core.Steps;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Workflows.Core.Errors;
using Workflows.Core.Requests;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

public sealed class ValidateRequestFunctionTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 8, 30, 0, TimeSpan.Zero));

    private Task<JsonElement> ProvisionAsync(string json) =>
        Lambda.InvokeAsync(StepUnderTest.Of(StepCatalog.ValidateProvisionRequest, _time, NullLogger.Instance).FunctionHandler, json);

    private Task<JsonElement> TeardownAsync(string json) =>
        Lambda.InvokeAsync(StepUnderTest.Of(StepCatalog.ValidateTeardownRequest, _time, NullLogger.Instance).FunctionHandler, json);

    [Fact]
    public async Task ValidateProvisionRequest_HappyPath_FillsDefaultsAndStartsThePoll()
    {
        var output = await ProvisionAsync("""
            {"request":{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2","tags":{"team":"data"}},
             "startedAt":"2026-11-26T08:00:00.250Z"}
            """);

        var request = output.GetProperty("request");
        request.Str("primaryRegion").Should().Be("us-east-1");
        request.GetProperty("deletionProtection").GetBoolean().Should().BeTrue();
        request.GetProperty("keepOnFailure").GetBoolean().Should().BeFalse();
        request.GetProperty("tags").GetProperty("team").GetString().Should().Be("data");
        var polling = request.GetProperty("polling");
        new[] { "initialDelaySeconds", "minDelaySeconds", "maxDelaySeconds", "deadlineSeconds", "maxAttempts" }
            .Select(name => polling.GetProperty(name).GetInt32()).Should().Equal(180, 10, 120, 3600, 60);
        var poll = output.GetProperty("poll");
        poll.GetProperty("attempt").GetInt32().Should().Be(0);
        poll.Str("startedAt").Should().Be("2026-11-26T08:00:00.25Z");
        poll.GetProperty("nextWaitSeconds").GetInt32().Should().Be(180);
    }

    [Fact]
    public async Task ValidateProvisionRequest_NoStartedAtAndOwnPolling_StartsNowWithTheGivenDelay()
    {
        var output = await ProvisionAsync("""
            {"request":{"primaryRegion":"eu-west-1","peerRegion":"eu-west-2","witnessRegion":"eu-west-3","deletionProtection":false,
             "keepOnFailure":true,"polling":{"initialDelaySeconds":0,"minDelaySeconds":200}}}
            """);

        output.GetProperty("poll").Str("startedAt").Should().Be("2026-11-26T08:30:00Z");
        output.GetProperty("poll").GetProperty("nextWaitSeconds").GetInt32().Should().Be(0);
        output.GetProperty("request").GetProperty("polling").GetProperty("maxDelaySeconds").GetInt32().Should().Be(200, "a larger minimum lifts the default maximum");
        output.GetProperty("request").GetProperty("deletionProtection").GetBoolean().Should().BeFalse();
    }

    private const string Regions = "\"primaryRegion\":\"us-east-1\",\"peerRegion\":\"us-east-2\",\"witnessRegion\":\"us-west-2\"";

    /// <summary>A request with valid Regions and <paramref name="members"/> added to it.</summary>
    private static string P(string members) => "{\"request\":{" + Regions + members + "}}";

    /// <summary>A valid request with <paramref name="members"/> added beside it.</summary>
    private static string Q(string members) => "{\"request\":{" + Regions + "}" + members + "}";

    public static TheoryData<string, string, string?> ProvisionBadInputs => new()
    {
        { """{}""", "request", null },
        { """{"request":{"peerRegion":"us-east-2","witnessRegion":"us-west-2"}}""", "primaryRegion", null },
        { """{"request":{"primaryRegion":"us_east_1","peerRegion":"us-east-2","witnessRegion":"us-west-2"}}""", "primaryRegion", null },
        { """{"request":{"primaryRegion":"us-east-1","peerRegion":"us-east-1","witnessRegion":"us-west-2"}}""", "peerRegion", "peerRegion: must differ from primaryRegion (us-east-1)" },
        { """{"request":{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-east-1"}}""", "witnessRegion", null },
        { """{"request":{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-east-2"}}""", "witnessRegion", null },
        { P(""","tags":{"aws:team":"x"}"""), "tags", null },
        { P(""","tags":{"Workflows:Step":"x"}"""), "tags", null },
        { P($$""","tags":{"{{new string('k', 129)}}":"x"}"""), "tags", null },
        { P(""","tags":{"":"x"}"""), "tags", null },
        { P(""","tags":{"a*b":"x"}"""), "tags", null },
        { P($$""","tags":{"k":"{{new string('v', 257)}}"}"""), "tags.k", null },
        { P(""","tags":{"k":null}"""), "tags.k", null },
        { P(""","tags":""" + JsonSerializer.Serialize(Enumerable.Range(0, 200).ToDictionary(i => $"k{i}", i => "v"))), "tags", null },
        { P(""","polling":{"initialDelaySeconds":3601}"""), "polling.initialDelaySeconds", null },
        { P(""","polling":{"minDelaySeconds":301}"""), "polling.minDelaySeconds", null },
        { P(""","polling":{"maxDelaySeconds":3601}"""), "polling.maxDelaySeconds", null },
        { P(""","polling":{"deadlineSeconds":86401}"""), "polling.deadlineSeconds", null },
        { P(""","polling":{"maxAttempts":501}"""), "polling.maxAttempts", null },
        { P(""","polling":{"maxAttempts":0}"""), "polling.maxAttempts", null },
        { P(""","polling":{"initialDelaySeconds":600,"deadlineSeconds":600}"""), "polling.initialDelaySeconds", "polling.initialDelaySeconds: must be less than polling.deadlineSeconds (600), not 600: the first check would come after the deadline" },
        { P(""","polling":{"initialDelaySeconds":3600}"""), "polling.initialDelaySeconds", null },
        { P(""","polling":{"maxAttempts":99999999999}"""), "polling.maxAttempts", "polling.maxAttempts: must be between 1 and 500, not 99999999999" },
        { P(""","polling":{"interval":5}"""), "request.polling.interval", null },
        { P(",\"keepOnFailure\":\"no\""), "request.keepOnFailure", null },
        { P(""","forceDelete":true"""), "request.forceDelete", null },
        { Q(",\"startedAt\":\"2026-11-26 08:00\""), "startedAt", null },
        { Q(""","extra":1"""), "extra", null },
    };

    [Theory]
    [MemberData(nameof(ProvisionBadInputs))]
    public async Task ValidateProvisionRequest_BadInput_InvalidRequestNamingTheField(string payload, string field, string? message)
    {
        var error = (await FluentActions.Awaiting(() => ProvisionAsync(payload)).Should().ThrowAsync<InvalidRequestException>()).Which;

        error.Field.Should().Be(field);
        error.Message.Should().StartWith($"{field}: ");
        if (message is not null)
        {
            error.Message.Should().Be(message);
        }
    }

    [Fact]
    public async Task ValidateTeardownRequest_ProvisionOutputPastedIn_NormalizedReferences()
    {
        var output = await TeardownAsync("""
            {"request":{
               "primary":{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz","arn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz",
                          "status":"ACTIVE","endpoint":"abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws","witnessRegion":"us-west-2","linkedClusterArns":[]},
               "peer":{"arn":"arn:aws:dsql:us-east-2:123456789012:cluster/bcdefghijklmnopqrstuvwxyza"}},
             "startedAt":"2026-11-26T09:00:00Z"}
            """);

        var request = output.GetProperty("request");
        request.GetProperty("primary").GetRawText().Should().Be("""{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"}""");
        request.GetProperty("peer").GetRawText().Should().Be("""{"region":"us-east-2","identifier":"bcdefghijklmnopqrstuvwxyza"}""");
        request.GetProperty("force").GetBoolean().Should().BeFalse();
        request.GetProperty("polling").GetProperty("initialDelaySeconds").GetInt32().Should().Be(30);
        output.GetProperty("poll").GetProperty("nextWaitSeconds").GetInt32().Should().Be(30);
        output.GetProperty("poll").Str("startedAt").Should().Be("2026-11-26T09:00:00Z");
    }

    public static TheoryData<string, string> TeardownBadInputs => new()
    {
        { """{"request":{"peer":{"region":"us-east-2","identifier":"abcdefghijklmnopqrstuvwxyz"}}}""", "primary" },
        { """{"request":{"primary":{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"}}}""", "peer" },
        { """{"request":{"primary":{"region":"us-east-1","identifier":"abc"},"peer":{"region":"us-east-2","identifier":"abcdefghijklmnopqrstuvwxyz"}}}""", "primary.identifier" },
        { """{"request":{"primary":{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"},"peer":{"region":"us-east-1","identifier":"bcdefghijklmnopqrstuvwxyza"}}}""", "peer.region" },
        { """{"request":{"primary":{"region":"us-west-1","arn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz"},"peer":{"region":"us-east-2","identifier":"abcdefghijklmnopqrstuvwxyz"}}}""", "primary.region" },
        { """{"request":{"primary":{"identifier":"bcdefghijklmnopqrstuvwxyza","arn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz"},"peer":{"region":"us-east-2","identifier":"abcdefghijklmnopqrstuvwxyz"}}}""", "primary.identifier" },
        { """{"request":{"primary":{"arn":"arn:aws:rds:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz"},"peer":{"region":"us-east-2","identifier":"abcdefghijklmnopqrstuvwxyz"}}}""", "primary.arn" },
        { """{"request":{"primary":{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"},"peer":{"region":"us-east-2","identifier":"abcdefghijklmnopqrstuvwxyz"},"force":"yes"}}""", "request.force" },
        { """{"request":{"primary":{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz"},"peer":{"region":"us-east-2","identifier":"abcdefghijklmnopqrstuvwxyz"},"polling":{"maxAttempts":1000}}}""", "polling.maxAttempts" },
    };

    [Theory]
    [MemberData(nameof(TeardownBadInputs))]
    public async Task ValidateTeardownRequest_BadInput_InvalidRequestNamingTheField(string payload, string field)
    {
        var error = (await FluentActions.Awaiting(() => TeardownAsync(payload)).Should().ThrowAsync<InvalidRequestException>()).Which;

        error.Field.Should().Be(field);
        error.Message.Should().StartWith($"{field}: ");
    }

    [Fact]
    public void ProvisionRequestParse_TheCliPath_SameRulesAsTheFunction()
    {
        var request = ProvisionRequest.Parse("""{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2"}""");
        request.Polling.Should().Be(PollingOptions.ProvisionDefaults);

        var act = () => ProvisionRequest.Parse("""{"primaryRegion":"us-east-1","peerRegion":"us-east-1","witnessRegion":"us-west-2"}""");
        act.Should().Throw<InvalidRequestException>().WithMessage("peerRegion: must differ from primaryRegion (us-east-1)");
        FluentActions.Invoking(() => TeardownRequest.Parse("""{"primary":{}}""")).Should().Throw<InvalidRequestException>().Which.Field.Should().Be("primary.region");
    }
}
