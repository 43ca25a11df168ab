using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DsqlLocal.Http;

/// <summary>
/// Sends each request straight into the emulator's request pipeline on the caller's thread, with no server,
/// socket or thread hop in between. The only waits are the emulator's own (injected latency) on its
/// TimeProvider, so a caller that runs everything on one thread under a virtual clock (the workflows engine's
/// inline handlers) sees every wait as a timer on that clock.
/// </summary>
internal sealed class InlineHandler(DsqlRequestHandler pipeline) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var pending = ProcessAsync(request, cancellationToken);
        if (pending.IsCompleted)
        {
            return pending;
        }

        // HttpClient awaits this task with ConfigureAwait(false). Completing it from a thread that has a
        // SynchronizationContext would push that continuation to the thread pool; completing it with none lets it
        // run inline, on the caller's thread, and hand back to the caller's context from there.
        var completion = new TaskCompletionSource<HttpResponseMessage>();
        pending.ContinueWith(
            static (task, state) =>
            {
                var tcs = (TaskCompletionSource<HttpResponseMessage>)state!;
                var previous = SynchronizationContext.Current;
                SynchronizationContext.SetSynchronizationContext(null);
                try
                {
                    if (task.IsCanceled)
                    {
                        tcs.SetCanceled();
                    }
                    else if (task.Exception is { } error)
                    {
                        tcs.SetException(error.InnerExceptions);
                    }
                    else
                    {
                        tcs.SetResult(task.Result);
                    }
                }
                finally
                {
                    SynchronizationContext.SetSynchronizationContext(previous);
                }
            },
            completion,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return completion.Task;
    }

    private async Task<HttpResponseMessage> ProcessAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);

        IHeaderDictionary headers = new HeaderDictionary();
        foreach (var (name, values) in request.Headers)
        {
            headers[name] = values.ToArray();
        }

        if (request.Content is not null)
        {
            foreach (var (name, values) in request.Content.Headers)
            {
                headers[name] = values.ToArray();
            }

            headers.ContentLength = body.Length;
        }

        if (!headers.ContainsKey("Host"))
        {
            headers.Host = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        }

        var rawTarget = uri.IsAbsoluteUri ? RawPathAndQuery(uri) : uri.OriginalString;
        var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var responseBody = new MemoryStream();
        var responseFeature = new HttpResponseFeature();
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = uri.Scheme,
            Method = request.Method.Method,
            PathBase = string.Empty,
            Path = Uri.UnescapeDataString(question < 0 ? rawTarget : rawTarget[..question]),
            QueryString = question < 0 ? string.Empty : rawTarget[question..],
            RawTarget = rawTarget,
            Headers = headers,
            Body = new MemoryStream(body, writable: false),
        });
        features.Set<IHttpResponseFeature>(responseFeature);
        features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(responseBody));
        var lifetime = new RecordingLifetime { RequestAborted = cancellationToken };
        features.Set<IHttpRequestLifetimeFeature>(lifetime);
        var context = new DefaultHttpContext(features);
        context.Items[DsqlRequestHandler.InlineItem] = true;

        await pipeline.HandleAsync(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (lifetime.Aborted)
        {
            // The pipeline dropped the connection (a Region without an endpoint): what a socket client sees.
            var why = context.Items[DsqlRequestHandler.UnreachableItem] as string ?? "The connection was closed without an answer.";
            throw new HttpRequestException(HttpRequestError.NameResolutionError, why);
        }

        var response = new HttpResponseMessage((System.Net.HttpStatusCode)responseFeature.StatusCode)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(responseBody.ToArray()),
        };
        foreach (var (name, values) in responseFeature.Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                response.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        return response;
    }

    /// <summary>Remembers an Abort, which the default feature ignores, so it can become a connection failure.</summary>
    private sealed class RecordingLifetime : IHttpRequestLifetimeFeature
    {
        public CancellationToken RequestAborted { get; set; }

        public bool Aborted { get; private set; }

        public void Abort() => Aborted = true;
    }

    // The target exactly as the client wrote it: SigV4 signs the encoded path ("%3A" and ":" decode alike).
    private static string RawPathAndQuery(Uri uri)
    {
        var text = uri.OriginalString;
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var pathStart = schemeEnd < 0 ? -1 : text.IndexOf('/', schemeEnd + 3);
        var target = pathStart < 0 ? "/" : text[pathStart..];
        var fragment = target.IndexOf('#', StringComparison.Ordinal);
        return fragment < 0 ? target : target[..fragment];
    }
}
