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
internal sealed class AdminEndpoints(ClusterStore store, FaultInjector faults, Iam.IamAuthorizer iam, DsqlLocalOptions options)
{
    public const string Prefix = "/_dsql-local";

    /// <summary>Admin bodies are small JSON documents; anything larger is refused before it is read (413).</summary>
    public const int MaxBodyBytes = 64 * 1024;

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
                // The lifecycle in wall seconds (time scale applied), so a client can pace its polls to this emulator.
                await WriteAsync(context, 200, string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $$"""{"status":"ok","provisioningSeconds":{{options.ScaledProvisioningTime.TotalSeconds}},"deletionSeconds":{{options.ScaledDeletionTime.TotalSeconds}},"updatingSeconds":{{options.ScaledUpdatingTime.TotalSeconds}}}"""));
                break;
            case ("/clusters", "GET"):
                await WriteAsync(context, 200, JsonSerializer.Serialize(store.Snapshot(), AdminJsonContext.Default.IReadOnlyListClusterSnapshot));
                break;
            case ("/reset", "POST"):
                store.Reset();
                await WriteAsync(context, 200, """{"status":"reset"}""");
                break;
            case ("/iam", "GET"):
                await WriteAsync(context, 200, iam.Describe());
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
            case var (p, m) when ClusterAction(p) is { } action:
                await ClusterActionAsync(context, action.Identifier, action.Action, m);
                break;
            default:
                await WriteAsync(context, 404, Message($"No admin endpoint {method} {rawPath}. Try GET {Prefix}/health, GET {Prefix}/clusters, POST {Prefix}/reset, GET/PUT/DELETE {Prefix}/faults, PUT/DELETE {Prefix}/clusters/{{identifier}}/status, POST {Prefix}/clusters/{{identifier}}/connect."));
                break;
        }
    }

    private static (string Identifier, string Action)? ClusterAction(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts is ["clusters", var id, var action and ("status" or "connect")] ? (id, action) : null;
    }

    /// <summary>
    /// PUT .../status {"status":"IDLE","durationSeconds":60} forces a status; DELETE .../status drops the forced
    /// one; POST .../connect simulates a connection (reactivation). Each answers the cluster as the state dump shows it.
    /// </summary>
    private async Task ClusterActionAsync(HttpContext context, string identifier, string action, string method)
    {
        ClusterSnapshot? result;
        switch (action, method)
        {
            case ("status", "PUT"):
                var body = await ReadBodyAsync(context);
                if (body is null)
                {
                    return;
                }

                if (!TryParseStatus(body, out var status, out var duration, out var problem))
                {
                    await WriteAsync(context, 400, Message(problem));
                    return;
                }

                result = store.SetStatus(identifier, status, duration);
                break;
            case ("status", "DELETE"):
                result = store.ClearStatus(identifier);
                break;
            case ("connect", "POST"):
                result = store.Connect(identifier);
                break;
            default:
                await WriteAsync(context, 405, Message($"{method} is not allowed on {Prefix}/clusters/{{identifier}}/{action}."));
                return;
        }

        if (result is null)
        {
            await WriteAsync(context, 404, Message($"No cluster {identifier}."));
            return;
        }

        await WriteAsync(context, 200, JsonSerializer.Serialize(result, AdminJsonContext.Default.ClusterSnapshot));
    }

    private static bool TryParseStatus(byte[] body, out string status, out TimeSpan? duration, out string problem)
    {
        status = string.Empty;
        duration = null;
        problem = string.Empty;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("status", out var s) || s.ValueKind != JsonValueKind.String)
            {
                problem = "The body must be {\"status\": \"<ClusterStatus>\", \"durationSeconds\": <optional number>}.";
                return false;
            }

            status = s.GetString()!;
            if (!Wire.WireClusterStatus.All.Contains(status, StringComparer.Ordinal))
            {
                problem = $"'{status}' is not a cluster status; expected one of {string.Join(", ", Wire.WireClusterStatus.All)}.";
                return false;
            }

            foreach (var member in root.EnumerateObject())
            {
                if (member.Name == "durationSeconds" && member.Value.ValueKind == JsonValueKind.Number && member.Value.GetDouble() is > 0 and var seconds && double.IsFinite(seconds))
                {
                    duration = TimeSpan.FromSeconds(seconds);
                }
                else if (member.Name != "status")
                {
                    problem = $"Unknown or invalid member '{member.Name}' (durationSeconds must be a positive number).";
                    return false;
                }
            }

            return true;
        }
        catch (JsonException ex)
        {
            problem = "The body is not valid JSON: " + ex.Message;
            return false;
        }
    }

    /// <summary>The body, or null after answering 413 for one over <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await WriteAsync(context, 413, Message($"Admin request bodies are limited to {MaxBodyBytes} bytes."));
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                await WriteAsync(context, 413, Message($"Admin request bodies are limited to {MaxBodyBytes} bytes."));
                return null;
            }
        }

        return buffer.ToArray();
    }

    private async Task PutFaultsAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
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
[JsonSerializable(typeof(ClusterSnapshot))]
[JsonSerializable(typeof(AdminMessage))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
