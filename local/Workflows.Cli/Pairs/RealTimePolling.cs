using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Cli.Pairs;

/// <summary>
/// The poll loop's pacing for a run in real time (--dsql-endpoint, --aws). --initial-wait and --poll set the
/// request's polling.initialDelaySeconds and a fixed interval (min = max delay). Without them, against DSQL Local
/// (it answers GET /_dsql-local/health with its lifecycle times) the first check comes when the emulator says the
/// clusters will be ready, not after the 180 s AWS needs; against AWS, and whenever the request names its own
/// polling, the request's values stand.
/// </summary>
internal static class RealTimePolling
{
    /// <summary>How long the health probe waits: it is only a hint, so a slow answer just means "not DSQL Local".</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>The request with the pacing applied (the input unchanged when nothing applies).</summary>
    public static string Apply(string input, PairWorkflow workflow, int? initialWait, int? poll, DsqlLocalLifecycle? lifecycle)
    {
        if (JsonNode.Parse(input) is not JsonObject request)
        {
            return input;
        }

        var polling = request["polling"] as JsonObject;
        if (initialWait is null && poll is null)
        {
            if (lifecycle is null || polling is not null)
            {
                return input;
            }

            // Inferred: wait what the emulator's lifecycle takes (plus a second), then check every quarter of it.
            var expected = workflow == PairWorkflow.Teardown ? lifecycle.DeletionSeconds
                : workflow == PairWorkflow.Update ? lifecycle.UpdatingSeconds
                : lifecycle.ProvisioningSeconds;
            initialWait = (int)Math.Min(3600, Math.Ceiling(expected) + 1);
            poll = (int)Math.Clamp(Math.Ceiling(expected / 4), 1, 60);
        }

        polling ??= [];
        if (initialWait is { } wait)
        {
            polling["initialDelaySeconds"] = wait;
        }

        if (poll is { } every)
        {
            polling["minDelaySeconds"] = every;
            polling["maxDelaySeconds"] = every;
        }

        request["polling"] = polling;
        return request.ToJsonString();
    }

    /// <summary>DSQL Local's lifecycle times as its health endpoint reports them, or null for anything else.</summary>
    public static async Task<DsqlLocalLifecycle?> ProbeAsync(Uri endpoint, HttpMessageHandler? handler, CancellationToken cancellationToken)
    {
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = ProbeTimeout;
        try
        {
            using var response = await http.GetAsync(new Uri(endpoint, "/_dsql-local/health"), cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            var health = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
            return health?["provisioningSeconds"] is JsonValue p && health["deletionSeconds"] is JsonValue d && health["updatingSeconds"] is JsonValue u
                ? new DsqlLocalLifecycle(Seconds(p), Seconds(d), Seconds(u))
                : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or FormatException or InvalidOperationException)
        {
            // Not reachable, not DSQL Local, or not its health: the reachability check reports the first.
            return null;
        }
    }

    private static double Seconds(JsonValue value) => value.GetValue<double>() is var s && double.IsFinite(s) && s >= 0
        ? s
        : throw new FormatException(s.ToString(CultureInfo.InvariantCulture));
}

/// <summary>Wall seconds each phase takes on a DSQL Local (its times divided by its time scale).</summary>
internal sealed record DsqlLocalLifecycle(double ProvisioningSeconds, double DeletionSeconds, double UpdatingSeconds);
