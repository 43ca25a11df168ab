using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DsqlLocal;
using DsqlLocal.Auth;
using DsqlLocal.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Workflows.Host.AwsJson;

namespace Workflows.Host;

/// <summary>How the host listens and whom it trusts.</summary>
public sealed record ApplicationHostOptions
{
    /// <summary>Always a loopback address: nothing here is meant for the network.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 = a free port, chosen at start (see <see cref="ApplicationHost.BaseAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>The key pairs whose SigV4 signatures are accepted; DSQL Local's documented pair by default.</summary>
    public IReadOnlyList<AccessKeyPair> AccessKeys { get; init; } = [new AccessKeyPair(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey)];

    /// <summary>The clock signatures are checked against (always wall time: clients sign with their own clock).</summary>
    public TimeProvider SignatureClock { get; init; } = TimeProvider.System;
}

/// <summary>
/// One Kestrel endpoint on 127.0.0.1 serving every mounted awsJson service (chosen by X-Amz-Target), each request
/// SigV4-verified as DSQL Local verifies its own. Other protocols (the Lambda Invoke API's REST routes) can be mapped
/// on the same app through <c>map</c> before it starts.
/// </summary>
public sealed class ApplicationHost : IAsyncDisposable
{
    private const int MaxBodyBytes = 1024 * 1024;

    private readonly WebApplication _app;
    private readonly Dictionary<string, (IAwsJsonService Service, SigV4Verifier Verifier)> _services;

    private ApplicationHost(WebApplication app, Dictionary<string, (IAwsJsonService, SigV4Verifier)> services, Uri baseAddress)
    {
        _app = app;
        _services = services;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IEnumerable<IAwsJsonService> Services => _services.Values.Select(s => s.Service);

    /// <summary>One line per mounted service, "Step Functions: http://127.0.0.1:N", in mounting order.</summary>
    public IReadOnlyList<string> EndpointLines => [.. Services.Select(s => $"{s.DisplayName}: {BaseAddress.ToString().TrimEnd('/')}")];

    /// <exception cref="IOException">The port is taken (Kestrel's own message).</exception>
    public static async Task<ApplicationHost> StartAsync(
        ApplicationHostOptions options,
        IEnumerable<IAwsJsonService> services,
        Action<WebApplication>? map = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        if (!IPAddress.TryParse(options.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"Host: '{options.Host}' is not a loopback address (the host serves 127.0.0.1 only)", nameof(options));
        }

        var mounted = new Dictionary<string, (IAwsJsonService, SigV4Verifier)>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            if (!mounted.TryAdd(service.TargetPrefix, (service, new SigV4Verifier(options.AccessKeys, options.SignatureClock, service.SigningName))))
            {
                throw new ArgumentException($"two services share the target prefix '{service.TargetPrefix}'", nameof(services));
            }
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The host lives inside the CLI's process: the CLI, not the default console lifetime, owns Ctrl+C and SIGTERM.
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(address, options.Port);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        ApplicationHost? host = null;
        app.MapPost("/", (HttpContext context) => host!.HandleAsync(context));
        map?.Invoke(app);
        await app.StartAsync(cancellationToken);
        var port = new Uri(app.Urls.First()).Port;
        host = new ApplicationHost(app, mounted, new Uri($"http://{options.Host}:{port}/"));
        return host;
    }

    private async Task HandleAsync(HttpContext context)
    {
        JsonObject response;
        var contentType = "application/x-amz-json-1.0";
        try
        {
            var body = await ReadAsync(context.Request, context.RequestAborted);
            var target = context.Request.Headers["X-Amz-Target"].ToString();
            var dot = target.LastIndexOf('.');
            if (dot <= 0 || !_services.TryGetValue(target[..dot], out var mounted))
            {
                throw new AwsJsonException("UnknownOperationException", target.Length == 0 ? "Missing X-Amz-Target header" : $"Unknown operation {target}");
            }

            contentType = mounted.Service.ContentType;
            mounted.Verifier.Verify(context.Request.Method, RawPath(context), context.Request.QueryString.Value?.TrimStart('?') ?? string.Empty, context.Request.Headers, body);
            var request = Parse(body);
            response = await mounted.Service.HandleAsync(target[(dot + 1)..], request, context.RequestAborted);
        }
        catch (AwsJsonException e)
        {
            await WriteErrorAsync(context, contentType, e.Status, e.Type, e.Message);
            return;
        }
        catch (DsqlApiException e)
        {
            // The verifier's refusals keep their status (403) and AWS's error type names.
            await WriteErrorAsync(context, contentType, (int)e.StatusCode, e.ErrorType, e.Message);
            return;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // A member of the wrong JSON type deep in a request (a tag value that is a number, say).
            await WriteErrorAsync(context, contentType, 400, "SerializationException", e.Message);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away
        }
#pragma warning disable CA1031 // The last line of defence: a client gets AWS's 500 shape, never a dropped connection.
        catch (Exception e)
        {
            await WriteErrorAsync(context, contentType, 500, "InternalFailure", $"{e.GetType().Name}: {e.Message}");
            return;
        }
#pragma warning restore CA1031

        context.Response.StatusCode = 200;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
    }

    // The path as it travelled (SigV4 signs the raw bytes, not the decoded path).
    internal static string RawPath(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget?.Split('?', 2)[0] ?? "/";

    internal static async Task<byte[]> ReadAsync(HttpRequest request, CancellationToken cancellationToken, int maxBytes = MaxBodyBytes)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new AwsJsonException("ValidationException", $"The request body exceeds {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static JsonObject Parse(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw new AwsJsonException("SerializationException", "The request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new AwsJsonException("SerializationException", $"The request body is not JSON: {e.Message}");
        }
    }

    private static Task WriteErrorAsync(HttpContext context, string contentType, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.Headers["x-amzn-ErrorType"] = type;
        var body = new JsonObject { ["__type"] = type, ["message"] = message };
        return context.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class QuietLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
