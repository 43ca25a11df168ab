using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Workflows.Core.Tests.Fakes;

/// <summary>An HTTP handler that answers from a script and remembers every request it saw.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>> _script = new();

    public List<RecordedRequest> Requests { get; } = [];

    public ScriptedHandler Respond(HttpStatusCode status, string? json = null, params (string Name, string Value)[] headers)
    {
        _script.Enqueue((_, _) => Task.FromResult(Build(status, json, headers)));
        return this;
    }

    public ScriptedHandler RespondError(HttpStatusCode status, string errorType, string json, params (string Name, string Value)[] headers) =>
        Respond(status, json, [("x-amzn-ErrorType", errorType), .. headers]);

    public ScriptedHandler Fail(Exception exception)
    {
        _script.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(exception));
        return this;
    }

    /// <summary>Never answers: only cancellation (the client's timeout) ends the wait.</summary>
    public ScriptedHandler Hang()
    {
        _script.Enqueue(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add(new RecordedRequest(request.Method, request.RequestUri!, body, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase), request.Content?.Headers.ContentType?.ToString()));
        }

        if (!_script.TryDequeue(out var next))
        {
            throw new InvalidOperationException($"No scripted response left for {request.Method} {request.RequestUri}.");
        }

        return await next(request, cancellationToken);
    }

    private static HttpResponseMessage Build(HttpStatusCode status, string? json, (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent(json ?? string.Empty, Encoding.UTF8, "application/json"),
        };
        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", "req-1");
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}

internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Body, IReadOnlyDictionary<string, string> Headers, string? ContentType);
