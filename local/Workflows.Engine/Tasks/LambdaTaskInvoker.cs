using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Tasks;

/// <summary>
/// Runs Lambda-backed Task states against a <see cref="LambdaFunctionRegistry"/>: a plain function ARN returns the
/// handler's output as the result; <c>arn:aws:states:::lambda:invoke</c> takes FunctionName and Payload and wraps
/// the output as the Invoke API response ({Payload, StatusCode, ...}). Handler exceptions surface as a .NET
/// Lambda's do: Error = exception type name, Cause = {"errorType","errorMessage","stackTrace"}.
/// </summary>
public sealed class LambdaTaskInvoker(LambdaFunctionRegistry registry) : ITaskInvoker
{
    public LambdaFunctionRegistry Registry { get; } = registry;

    public bool CanInvoke(string resource)
    {
        var r = TaskResource.Parse(resource);
        return r.IsLambdaFunction || (r.ResourceType == "lambda" && r.ResourceName == "invoke" && r.Pattern is null);
    }

    public bool RunsInline(string resource) => Registry.InlineHandlers;

    public async Task<JsonNode?> InvokeAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var resource = TaskResource.Parse(invocation.Resource);
        if (resource.IsLambdaFunction)
        {
            return await CallAsync(invocation.Resource, invocation.Parameters, payloadGiven: true, invocation, cancellationToken);
        }

        if (invocation.Parameters is not JsonObject p || !JsonValues.TryGetString(p["FunctionName"], out var functionName))
        {
            throw new TaskError(ErrorNames.Runtime, "The lambda:invoke integration requires Parameters.FunctionName");
        }

        // Static names were checked when the definition loaded; this catches those a path or intrinsic produced.
        var problems = IntegrationParameters.Check(TaskResource.LambdaInvoke, p).ToList();
        if (problems.Count > 0)
        {
            throw new StatesRuntime($"State '{invocation.StateName}': {string.Join("; ", problems.Select(x => $"{x.Field}: {x.Message}"))}");
        }

        var hasPayload = p.TryGetPropertyValue("Payload", out var payload);
        var output = await CallAsync(functionName, payload, hasPayload, invocation, cancellationToken);
        var requestId = invocation.NewId();
        return new JsonObject
        {
            ["ExecutedVersion"] = "$LATEST",
            ["Payload"] = output,
            ["SdkHttpMetadata"] = new JsonObject
            {
                ["AllHttpHeaders"] = new JsonObject
                {
                    ["X-Amz-Executed-Version"] = new JsonArray("$LATEST"),
                    ["x-amzn-Remapped-Content-Length"] = new JsonArray("0"),
                    ["Connection"] = new JsonArray("keep-alive"),
                    ["x-amzn-RequestId"] = new JsonArray(requestId),
                    ["Content-Type"] = new JsonArray("application/json"),
                },
                ["HttpHeaders"] = new JsonObject
                {
                    ["Connection"] = "keep-alive",
                    ["Content-Type"] = "application/json",
                    ["X-Amz-Executed-Version"] = "$LATEST",
                    ["x-amzn-Remapped-Content-Length"] = "0",
                    ["x-amzn-RequestId"] = requestId,
                },
                ["HttpStatusCode"] = 200,
            },
            ["SdkResponseMetadata"] = new JsonObject { ["RequestId"] = requestId },
            ["StatusCode"] = 200,
        };
    }

    private async Task<JsonNode?> CallAsync(string function, JsonNode? payload, bool payloadGiven, TaskInvocation invocation, CancellationToken ct)
    {
        if (!Registry.TryResolve(function, out var name, out var handler) || handler is null)
        {
            var arn = function.StartsWith("arn:", StringComparison.Ordinal)
                ? function
                : $"arn:aws:lambda:{invocation.Region}:{invocation.Account}:function:{name}";
            throw new TaskError(
                "Lambda.ResourceNotFoundException",
                $"Function not found: {arn} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: {invocation.NewId()}; Proxy: null)");
        }

        var body = payloadGiven ? Encoding.UTF8.GetBytes(JsonValues.ToJson(payload)) : [];
        Stream response;
        try
        {
            // Inline handlers run on the execution's thread, so their waits are ordinary virtual timers. Others run
            // off it: a handler may block or do real I/O, and the engine holds virtual time still meanwhile.
            response = Registry.InlineHandlers
                ? await handler(new MemoryStream(body, writable: false), ct)
                : await Task.Run(() => handler(new MemoryStream(body, writable: false), ct), ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (LambdaFunctionErrorException e)
        {
            // An out-of-process function's error document already names the error; keep it as Lambda reports it.
            throw new TaskError(e.ErrorType, e.Cause);
        }
#pragma warning disable CA1031 // Any handler exception is the function's error, reported as Lambda reports it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            throw new TaskError(e.GetType().Name, LambdaErrorCause(e));
        }

        await using (response)
        {
            using var reader = new StreamReader(response, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(ct);
            if (text.Length == 0)
            {
                return null;
            }

            try
            {
                return JsonValues.Parse(text);
            }
            catch (JsonException)
            {
                return JsonValue.Create(text);
            }
        }
    }

    /// <summary>The Cause string a .NET Lambda function's unhandled exception produces.</summary>
    public static string LambdaErrorCause(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var trace = new JsonArray();
        foreach (var line in (exception.StackTrace ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            trace.Add(line.Trim());
        }

        var cause = new JsonObject
        {
            ["errorType"] = exception.GetType().Name,
            ["errorMessage"] = exception.Message,
            ["stackTrace"] = trace,
        };
        if (exception.InnerException is { } inner)
        {
            cause["cause"] = new JsonObject
            {
                ["errorType"] = inner.GetType().Name,
                ["errorMessage"] = inner.Message,
            };
        }

        return cause.ToJsonString();
    }
}
