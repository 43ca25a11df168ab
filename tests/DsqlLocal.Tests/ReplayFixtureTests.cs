using System.Net;
using System.Text.Json;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests;

/// <summary>
/// The exact requests two clients nobody here wrote send for each of the 16 operations (captured by
/// Fixtures/replay/capture.sh from @aws-sdk/client-dsql and boto3), replayed against DSQL Local: each is routed to the
/// operation it was sent for, answers 200 and fits the model's output shape. The captured method, path, query and
/// body are sent as captured (placeholder identifiers replaced by the ones DSQL Local issued), re-signed for now.
/// </summary>
public sealed class ReplayFixtureTests
{
    private const string ClusterPlaceholder = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string StreamPlaceholder = "bbbbbbbbbbbbbbbbbbbbbbbbbb";

    internal sealed record Captured(string Operation, string Method, string Path, string Query, string? ContentType, IReadOnlyList<string> HeaderNames, string Body);

    public static TheoryData<string> Files => new() { "js-sdk.json", "boto3.json" };

    internal static (string Client, List<Captured> Requests) Load(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "replay", file)));
        var requests = doc.RootElement.GetProperty("requests").EnumerateArray().Select(r => new Captured(
            r.GetProperty("operation").GetString()!,
            r.GetProperty("method").GetString()!,
            r.GetProperty("path").GetString()!,
            r.GetProperty("query").GetString()!,
            r.GetProperty("contentType").GetString(),
            r.GetProperty("headerNames").EnumerateArray().Select(h => h.GetString()!).ToList(),
            r.GetProperty("body").GetString()!)).ToList();
        return (doc.RootElement.GetProperty("client").GetString()!, requests);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Fixture_EveryModelOperation_CapturedWithTheModelsMethodAndARoutablePath(string file)
    {
        var (client, requests) = Load(file);

        requests.Select(r => r.Operation).Should().BeEquivalentTo(ServiceModel.Dsql.OperationNames, $"{client} was captured for every operation");
        foreach (var request in requests)
        {
            var http = ServiceModel.Dsql.Root.GetProperty("operations").GetProperty(request.Operation).GetProperty("http");
            request.Method.Should().Be(http.GetProperty("method").GetString(), $"{client} {request.Operation}");
            DsqlLocal.Http.Routes.Match(request.Method, request.Path)?.Operation.Should().Be(request.Operation, $"DSQL Local routes {client}'s {request.Method} {request.Path}");
            request.HeaderNames.Should().Contain(["authorization", "x-amz-date", "host"], $"{client} signs {request.Operation} with SigV4");
            if (request.Body.Length > 0)
            {
                request.ContentType.Should().StartWith("application/json", $"{client} sends {request.Operation}'s body as JSON");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Replay_CapturedRequestsInOrder_EachAnswers200InTheModelsOutputShape(string file)
    {
        var (client, requests) = Load(file);
        await using var dsql = await DsqlFixture.StartAsync(o =>
        {
            o.ProvisioningTime = TimeSpan.Zero;
            o.UpdatingTime = TimeSpan.Zero;
            o.DeletionTime = TimeSpan.Zero;
        });
        var cluster = ClusterPlaceholder;
        var stream = StreamPlaceholder;
        var problems = new List<string>();

        foreach (var request in requests)
        {
            string Real(string text) => text.Replace(ClusterPlaceholder, cluster, StringComparison.Ordinal).Replace(StreamPlaceholder, stream, StringComparison.Ordinal);
            var signed = new SignedRequest
            {
                Method = request.Method,
                ResourcePath = Template(request.Operation),
                PathResources = Resources(Template(request.Operation), Real(request.Path)),
                Query = Real(request.Query).Split('&', StringSplitOptions.RemoveEmptyEntries)
                    .Select(p => p.Split('=', 2))
                    .Select(p => new KeyValuePair<string, string>(Uri.UnescapeDataString(p[0]), Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty)))
                    .ToList(),
                Body = request.Body.Length > 0 ? Real(request.Body) : null,
            };

            var response = await dsql.SendAsync(signed);

            if (response.Status != HttpStatusCode.OK)
            {
                problems.Add($"{client} {request.Operation}: {(int)response.Status} {response.Body}");
                continue;
            }

            problems.AddRange(ModelContractTests.Fits(request.Operation, response).Select(p => $"{client} {p}"));
            if (request.Operation == "CreateCluster")
            {
                cluster = response.String("identifier");
            }
            else if (request.Operation == "CreateStream")
            {
                stream = response.String("streamIdentifier");
            }
        }

        problems.Should().BeEmpty();
        dsql.Advance(TimeSpan.FromSeconds(1));
        dsql.Server.GetClusters().Should().BeEmpty("the captured flow ends with DeleteCluster");
    }

    private static string Template(string operation) =>
        ServiceModel.Dsql.Root.GetProperty("operations").GetProperty(operation).GetProperty("http").GetProperty("requestUri").GetString()!;

    /// <summary>The path's values for the template's {labels}, decoded (the signer encodes them again as the SDKs do).</summary>
    private static Dictionary<string, string> Resources(string template, string path)
    {
        var labels = template.Split('/');
        var parts = path.Split('/');
        parts.Should().HaveSameCount(labels, $"{path} has the shape of {template}");
        var resources = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i].StartsWith('{'))
            {
                resources[labels[i]] = Uri.UnescapeDataString(parts[i]);
            }
            else
            {
                parts[i].Should().Be(labels[i]);
            }
        }

        return resources;
    }
}
