using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Workflows.EventBridge.Bus;

namespace Workflows.Host.Events;

/// <summary>
/// What EventBridge itself cannot show (it has no API that lists the events a bus received): the bus's event log,
/// request events and the outcome events the state machines publish alike, at
/// <c>GET /_local/events/{bus}?after=N&amp;waitSeconds=S</c>. Local only (Inferred, not an AWS API): unsigned, on the
/// loopback endpoint. <c>after</c> is the last Sequence already seen (tail by passing the answer's LastSequence);
/// <c>waitSeconds</c> (0-20, default 0) long-polls until an event after it arrives.
/// </summary>
public static class BusEventsEndpoint
{
    public const string Route = "/_local/events/{bus}";

    public const int MaxWaitSeconds = 20;

    public static void Map(WebApplication app, EventBridgeService service, TimeProvider wall)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(wall);
        app.MapGet(Route, (HttpContext context, string bus) => ListAsync(context, service, wall, bus));
    }

    private static async Task ListAsync(HttpContext context, EventBridgeService service, TimeProvider wall, string busName)
    {
        var query = context.Request.Query;
        if (!TryNumber(query["after"], 0, long.MaxValue, out var after))
        {
            await ErrorAsync(context, 400, "ValidationException", $"after '{query["after"]}' must be a whole number from 0 (the last Sequence already seen)");
            return;
        }

        if (!TryNumber(query["waitSeconds"], 0, MaxWaitSeconds, out var wait))
        {
            await ErrorAsync(context, 400, "ValidationException", $"waitSeconds '{query["waitSeconds"]}' must be a whole number from 0 to {MaxWaitSeconds}");
            return;
        }

        if (service.FindBus(busName) is not { } bus)
        {
            await ErrorAsync(context, 404, "ResourceNotFoundException", $"Event bus {busName} does not exist.");
            return;
        }

        var events = bus.ListEvents(after);
        if (events.Count == 0 && wait > 0)
        {
            // The wait is wall time (a client is waiting), whatever clock the executions run on.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(wait), wall);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, context.RequestAborted);
            try
            {
                await foreach (var first in bus.TailAsync(after, linked.Token))
                {
                    break;
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // Nothing arrived in time: an empty page.
            }

            events = bus.ListEvents(after);
        }

        var list = new JsonArray();
        foreach (var e in events)
        {
            list.Add(new JsonObject
            {
                ["Sequence"] = e.Sequence,
                ["EventBusName"] = e.EventBusName,
                ["EventId"] = e.EventId,
                ["IngestionTime"] = e.IngestionTime.ToString("O", CultureInfo.InvariantCulture),
                ["MatchedRules"] = new JsonArray([.. e.MatchedRules.Select(r => (JsonNode?)r)]),
                ["Event"] = e.Event.DeepClone(),
            });
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject { ["Events"] = list, ["LastSequence"] = events.Count > 0 ? events[^1].Sequence : after }.ToJsonString());
    }

    private static bool TryNumber(string? text, long min, long max, out long value)
    {
        value = min;
        return string.IsNullOrEmpty(text) || (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }

    internal static Task ErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-ErrorType"] = type;
        return context.Response.WriteAsync(new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString());
    }
}
