using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Workflows.LambdaLocal;

/// <summary>
/// The Lambda Invoke API (2015-03-31) as <c>sam local start-lambda</c> and Lambda serve it:
/// POST /2015-03-31/functions/{FunctionName}/invocations with X-Amz-Invocation-Type (RequestResponse, Event, DryRun),
/// X-Amz-Log-Type (None, Tail), X-Amz-Client-Context and ?Qualifier. Errors use the rest-json shape: the
/// x-amzn-ErrorType header and a body {"Type":"User","message":...} (Lambda API reference, Invoke "Errors").
/// </summary>
internal static class InvokeApi
{
    public static void Map(WebApplication app, LambdaService service) =>
        app.MapPost("/2015-03-31/functions/{name}/invocations", (HttpContext context, string name) => InvokeAsync(context, name, service));

    private static async Task InvokeAsync(HttpContext context, string name, LambdaService service)
    {
        var qualifier = context.Request.Query["Qualifier"].ToString();
        var target = qualifier.Length > 0 ? $"{name}:{qualifier}" : name;
        if (!service.TryResolve(target, out var resolved))
        {
            var arn = name.StartsWith("arn:", StringComparison.Ordinal) ? name : service.FunctionArn(name.Split(':')[0]);
            await ErrorAsync(context, 404, "ResourceNotFoundException", $"Function not found: {arn}{(qualifier.Length > 0 ? ":" + qualifier : string.Empty)}");
            return;
        }

        var type = context.Request.Headers["X-Amz-Invocation-Type"].ToString();
        if (type.Length == 0)
        {
            type = "RequestResponse";
        }

        if (type is not ("RequestResponse" or "Event" or "DryRun"))
        {
            await ErrorAsync(context, 400, "InvalidParameterValueException", $"1 validation error detected: Value '{type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
            return;
        }

        var payload = await ReadAsync(context.Request, service.Options.MaxRequestBytes);
        if (payload is null)
        {
            await ErrorAsync(context, 413, "RequestTooLargeException", $"Request must be smaller than {service.Options.MaxRequestBytes} bytes for the InvokeFunction operation");
            return;
        }

        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        if (type == "DryRun")
        {
            context.Response.StatusCode = 204;
            return;
        }

        if (type == "Event")
        {
            service.InvokeEvent(resolved, payload);
            context.Response.StatusCode = 202;
            return;
        }

        var clientContext = context.Request.Headers["X-Amz-Client-Context"].ToString();
        string? decodedContext = null;
        if (clientContext.Length > 0)
        {
            try
            {
                decodedContext = Encoding.UTF8.GetString(Convert.FromBase64String(clientContext));
            }
            catch (FormatException)
            {
                await ErrorAsync(context, 400, "InvalidRequestContentException", "Client context must be a valid Base64-encoded JSON object.");
                return;
            }
        }

        var result = await service.InvokeAsync(name.StartsWith("arn:", StringComparison.Ordinal) ? name : resolved, payload, new InvokeOptions(decodedContext), context.RequestAborted);
        context.Response.Headers["x-amzn-RequestId"] = result.RequestId;
        context.Response.Headers["X-Amz-Executed-Version"] = result.ExecutedVersion;
        if (result.FunctionError is { } error)
        {
            context.Response.Headers["X-Amz-Function-Error"] = error;
        }

        if (string.Equals(context.Request.Headers["X-Amz-Log-Type"].ToString(), "Tail", StringComparison.Ordinal))
        {
            context.Response.Headers["X-Amz-Log-Result"] = result.LogTailBase64();
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = result.Payload.Length;
        await context.Response.Body.WriteAsync(result.Payload, context.RequestAborted);
    }

    private static async Task<byte[]?> ReadAsync(HttpRequest request, int max)
    {
        if (request.ContentLength > max)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        return buffer.Length > max ? null : buffer.ToArray();
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-ErrorType"] = code;
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["Type"] = "User", ["message"] = message }));
    }
}
