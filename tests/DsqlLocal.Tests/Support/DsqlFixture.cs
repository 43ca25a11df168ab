using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;

namespace DsqlLocal.Tests.Support;

/// <summary>An in-process emulator on a fake clock, plus helpers that send SDK-signed requests to it.</summary>
internal sealed class DsqlFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private DsqlFixture(DsqlLocalServer server, FakeTimeProvider time)
    {
        Server = server;
        Time = time;
        Client = new HttpClient(server.CreateHandler()) { BaseAddress = server.BaseAddress };
    }

    public DsqlLocalServer Server { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public static async Task<DsqlFixture> StartAsync(Action<DsqlLocalOptions>? configure = null, FakeTimeProvider? time = null)
    {
        var options = new DsqlLocalOptions { Seed = 7 };
        configure?.Invoke(options);
        time ??= new FakeTimeProvider(Epoch);
        var server = await DsqlLocalServer.StartAsync(options, time, inProcess: true);
        return new DsqlFixture(server, time);
    }

    public async Task<DsqlResponse> SendAsync(SignedRequest request)
    {
        using var message = request.Build(Server.BaseAddress, Time.GetUtcNow());
        return await SendRawAsync(message);
    }

    public async Task<DsqlResponse> SendRawAsync(HttpRequestMessage message)
    {
        var response = await Client.SendAsync(message);
        return new DsqlResponse { Status = response.StatusCode, Message = response, Body = await response.Content.ReadAsStringAsync() };
    }

    public Task<DsqlResponse> CreateAsync(string body = "{}", string region = "us-east-1") =>
        SendAsync(new SignedRequest { Method = "POST", ResourcePath = "/cluster", Body = body, Region = region });

    /// <summary>Creates a cluster and asserts success; returns the create response JSON.</summary>
    public async Task<JsonElement> CreateOkAsync(string body = "{}", string region = "us-east-1")
    {
        var response = await CreateAsync(body, region);
        response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
        return response.Json;
    }

    public Task<DsqlResponse> GetAsync(string identifier, string region = "us-east-1") =>
        SendAsync(new SignedRequest { ResourcePath = "/cluster/{identifier}", PathResources = { ["{identifier}"] = identifier }, Region = region });

    public async Task<string> StatusAsync(string identifier, string region = "us-east-1")
    {
        var response = await GetAsync(identifier, region);
        response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
        return response.String("status");
    }

    public Task<DsqlResponse> UpdateAsync(string identifier, string body, string region = "us-east-1") =>
        SendAsync(new SignedRequest { Method = "POST", ResourcePath = "/cluster/{identifier}", PathResources = { ["{identifier}"] = identifier }, Body = body, Region = region });

    public Task<DsqlResponse> DeleteAsync(string identifier, string region = "us-east-1", string? clientToken = null) =>
        SendAsync(new SignedRequest
        {
            Method = "DELETE",
            ResourcePath = "/cluster/{identifier}",
            PathResources = { ["{identifier}"] = identifier },
            Query = clientToken is null ? [] : [new("client-token", clientToken)],
            Region = region,
        });

    /// <summary>Turns protection off, then deletes, asserting both succeed.</summary>
    public async Task<DsqlResponse> UnprotectAndDeleteAsync(string identifier, string region = "us-east-1")
    {
        var update = await UpdateAsync(identifier, """{"deletionProtectionEnabled":false}""", region);
        update.Status.Should().Be(HttpStatusCode.OK, update.ToString());
        var delete = await DeleteAsync(identifier, region);
        delete.Status.Should().Be(HttpStatusCode.OK, delete.ToString());
        return delete;
    }

    public Task<DsqlResponse> ListAsync(string region = "us-east-1", int? maxResults = null, string? nextToken = null)
    {
        var query = new List<KeyValuePair<string, string>>();
        if (maxResults is not null)
        {
            query.Add(new("max-results", maxResults.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (nextToken is not null)
        {
            query.Add(new("next-token", nextToken));
        }

        return SendAsync(new SignedRequest { ResourcePath = "/cluster", Query = query, Region = region });
    }

    public Task<DsqlResponse> TagAsync(string arn, string body, string region = "us-east-1") =>
        SendAsync(new SignedRequest { Method = "POST", ResourcePath = "/tags/{resourceArn}", PathResources = { ["{resourceArn}"] = arn }, Body = body, Region = region });

    public Task<DsqlResponse> UntagAsync(string arn, IEnumerable<string> keys, string region = "us-east-1") =>
        SendAsync(new SignedRequest
        {
            Method = "DELETE",
            ResourcePath = "/tags/{resourceArn}",
            PathResources = { ["{resourceArn}"] = arn },
            Query = keys.Select(k => new KeyValuePair<string, string>("tagKeys", k)).ToList(),
            Region = region,
        });

    public Task<DsqlResponse> ListTagsAsync(string arn, string region = "us-east-1") =>
        SendAsync(new SignedRequest { ResourcePath = "/tags/{resourceArn}", PathResources = { ["{resourceArn}"] = arn }, Region = region });

    public void Advance(TimeSpan by) => Time.Advance(by);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
