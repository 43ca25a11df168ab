using System.Text.Json;
using System.Text.Json.Serialization;
using DsqlLocal.Faults;
using DsqlLocal.Model;
using Microsoft.AspNetCore.Http;

namespace DsqlLocal.Http;

/// <summary>
/// Unsigned endpoints for test harnesses and humans: health, a state dump, reset, and live fault settings.
/// They live under a prefix no DSQL operation uses.
/// </summary>
internal sealed class AdminEndpoints(ClusterStore store, FaultInjector faults)
{
    public const string Prefix = "/_dsql-local";

    public async Task HandleAsync(HttpContext context, string rawPath)
    {
        try
        {
            await RouteAsync(context, rawPath);
        }
        catch (DsqlApiException ex) when (!context.Response.HasStarted)
        {
            // A reset or a sweep whose save failed: the state is unchanged; say why.
            await WriteAsync(context, (int)ex.StatusCode, Message(ex.Message));
        }
    }

    private async Task RouteAsync(HttpContext context, string rawPath)
    {
        var method = context.Request.Method;
        var path = rawPath[Prefix.Length..].TrimEnd('/');
        switch (path, method)
        {
            case ("/health", "GET"):
                await WriteAsync(context, 200, """{"status":"ok"}""");
                break;
            case ("/clusters", "GET"):
                await WriteAsync(context, 200, JsonSerializer.Serialize(store.Snapshot(), AdminJsonContext.Default.IReadOnlyListClusterSnapshot));
                break;
            case ("/reset", "POST"):
                store.Reset();
                await WriteAsync(context, 200, """{"status":"reset"}""");
                break;
            case ("/faults", "GET"):
                await WriteAsync(context, 200, FaultSettingsJson.Serialize(faults.Settings));
                break;
            case ("/faults", "DELETE"):
                faults.Settings = FaultSettings.None;
                await WriteAsync(context, 200, FaultSettingsJson.Serialize(faults.Settings));
                break;
            case ("/faults", "PUT"):
                await PutFaultsAsync(context);
                break;
            default:
                await WriteAsync(context, 404, Message($"No admin endpoint {method} {rawPath}. Try GET {Prefix}/health, GET {Prefix}/clusters, POST {Prefix}/reset, GET/PUT/DELETE {Prefix}/faults."));
                break;
        }
    }

    private async Task PutFaultsAsync(HttpContext context)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            faults.Settings = FaultSettingsJson.Parse(doc.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            await WriteAsync(context, 400, Message("Invalid fault settings: " + ex.Message));
            return;
        }

        await WriteAsync(context, 200, FaultSettingsJson.Serialize(faults.Settings));
    }

    private static string Message(string text) => JsonSerializer.Serialize(new AdminMessage(text), AdminJsonContext.Default.AdminMessage);

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }
}

internal sealed record AdminMessage(string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(IReadOnlyList<ClusterSnapshot>))]
[JsonSerializable(typeof(AdminMessage))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
