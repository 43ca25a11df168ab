using System.Text.Json.Nodes;
using DsqlLocal.Auth;
using DsqlLocal.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Workflows.Engine.Tasks;

namespace Workflows.Host.Lambda;

/// <summary>
/// The Lambda Invoke API (2015-03-31, rest-json) for the functions the served state machines call, on the host's
/// endpoint: <c>POST /2015-03-31/functions/{FunctionName}/invocations</c> (a name, a full or partial ARN; the
/// qualifier is ignored) with X-Amz-Invocation-Type RequestResponse (200 and the payload; a handler that throws
/// answers 200 with X-Amz-Function-Error: Unhandled and Lambda's error object), Event (202, run in the background)
/// or DryRun (204). Signed for the "lambda" service. Errors: x-amzn-ErrorType and {"Type":"User","message"}, as
/// local/LambdaLocal's InvokeApi answers for process functions.
/// </summary>
public sealed class LambdaInvokeEndpoint
{
    public const string Route = "/2015-03-31/functions/{name}/invocations";

    /// <summary>The synchronous invocation payload quota (Lambda quotas: 6 MB request and response).</summary>
    public const int MaxPayloadBytes = 6 * 1024 * 1024;

    private readonly LambdaFunctionRegistry _registry;
    private readonly SigV4Verifier _verifier;
    private readonly string _region;
    private readonly string _account;
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _background = [];

    public LambdaInvokeEndpoint(LambdaFunctionRegistry registry, ApplicationHostOptions options, string region, string account)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        _registry = registry;
        _verifier = new SigV4Verifier(options.AccessKeys, options.SignatureClock, "lambda");
        _region = region;
        _account = account;
    }

    public void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Route, (HttpContext context, string name) => InvokeAsync(context, name));
    }

    /// <summary>Completes when every Event invocation started so far has ended (tests, shutdown).</summary>
    public Task WhenBackgroundIdleAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_background);
        }
    }

    private async Task InvokeAsync(HttpContext context, string name)
    {
        byte[] payload;
        try
        {
            payload = await ApplicationHost.ReadAsync(context.Request, context.RequestAborted, MaxPayloadBytes);
            _verifier.Verify(context.Request.Method, ApplicationHost.RawPath(context), context.Request.QueryString.Value?.TrimStart('?') ?? string.Empty, context.Request.Headers, payload);
        }
        catch (DsqlApiException e)
        {
            await ErrorAsync(context, (int)e.StatusCode, e.ErrorType, e.Message);
            return;
        }
        catch (AwsJson.AwsJsonException)
        {
            await ErrorAsync(context, 413, "RequestTooLargeException", $"Request must be smaller than {MaxPayloadBytes} bytes for the InvokeFunction operation");
            return;
        }

        if (!_registry.TryResolve(name, out _, out var handler) || handler is null)
        {
            var arn = name.StartsWith("arn:", StringComparison.Ordinal) ? name : $"arn:aws:lambda:{_region}:{_account}:function:{name}";
            await ErrorAsync(context, 404, "ResourceNotFoundException", $"Function not found: {arn}");
            return;
        }

        var type = context.Request.Headers["X-Amz-Invocation-Type"].ToString();
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        switch (type)
        {
            case "" or "RequestResponse":
                break;
            case "DryRun":
                context.Response.StatusCode = 204;
                return;
            case "Event":
                // Inferred: an asynchronous invocation runs once; Lambda's two retries and destinations are not modelled.
                Track(Task.Run(() => RunAsync(handler, payload, CancellationToken.None)));
                context.Response.StatusCode = 202;
                return;
            default:
                await ErrorAsync(context, 400, "InvalidParameterValueException", $"1 validation error detected: Value '{type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
                return;
        }

        var (result, error) = await RunAsync(handler, payload, context.RequestAborted);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers["X-Amz-Executed-Version"] = "$LATEST";
        if (error)
        {
            context.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
        }

        await context.Response.Body.WriteAsync(result, context.RequestAborted);
    }

    private static async Task<(byte[] Payload, bool Error)> RunAsync(LambdaHandlerLoader.Handler handler, byte[] payload, CancellationToken cancellationToken)
    {
        try
        {
            await using var output = await handler(new MemoryStream(payload, writable: false), cancellationToken);
            using var copy = new MemoryStream();
            await output.CopyToAsync(copy, cancellationToken);
            return (copy.ToArray(), false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A function's exception is its answer (Lambda's Unhandled error object), never the host's crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var body = new JsonObject { ["errorMessage"] = e.Message, ["errorType"] = e.GetType().Name, ["stackTrace"] = new JsonArray() };
            return (System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), true);
        }
    }

    private void Track(Task task)
    {
        lock (_gate)
        {
            _background.Add(task);
        }

        _ = task.ContinueWith(
            t =>
            {
                lock (_gate)
                {
                    _background.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static Task ErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-ErrorType"] = type;
        return context.Response.WriteAsync(new JsonObject { ["Type"] = "User", ["message"] = message }.ToJsonString());
    }
}
