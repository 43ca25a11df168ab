using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Workflows.Core.Hosting.Runtime;

/// <summary>
/// A client of the Lambda Runtime API (version 2018-06-01), written from its documentation: next, response,
/// error and init error, over one kept-alive HTTP/1.1 connection to <c>$AWS_LAMBDA_RUNTIME_API</c>.
/// </summary>
public sealed class LambdaRuntimeClient : IDisposable
{
    /// <summary>The largest response Lambda accepts for a synchronous invocation (6 MB as Lambda counts it).</summary>
    public const int MaxResponseBytes = 6_291_556;

    /// <summary>The error type Lambda gives an invocation whose response is too large.</summary>
    public const string ResponseTooLargeErrorType = "Function.ResponseSizeTooLarge";

    internal const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    internal const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    internal const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    internal const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    internal const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private const string Version = "2018-06-01";

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <param name="runtimeApi">The value of AWS_LAMBDA_RUNTIME_API: <c>host:port</c>.</param>
    /// <param name="handler">For tests; by default one pooled connection that is never dropped for idleness.</param>
    public LambdaRuntimeClient(string runtimeApi, HttpMessageHandler? handler = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        if (!Uri.TryCreate($"http://{runtimeApi}/{Version}/", UriKind.Absolute, out var baseAddress) || baseAddress.Host.Length == 0)
        {
            throw new ArgumentException($"AWS_LAMBDA_RUNTIME_API '{runtimeApi}' is not host:port", nameof(runtimeApi));
        }

        // The runtime makes one request at a time, so one connection, kept alive across the long poll of /next.
        handler ??= new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("workflows-lambda-runtime", "1.0"));
        _ownsHttp = true;
    }

    /// <summary>Waits for the next event (the call blocks until Lambda has one; that is the protocol).</summary>
    /// <exception cref="RuntimeApiException">The Runtime API failed or left out the request id.</exception>
    public async Task<RuntimeInvocation> NextAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "runtime/invocation/next", null, null, cancellationToken);
        await EnsureSuccessAsync(response, "runtime/invocation/next", cancellationToken);
        var headers = response.Headers;
        var requestId = Header(headers, RequestIdHeader)
            ?? throw new RuntimeApiException($"runtime/invocation/next answered without {RequestIdHeader}");
        DateTimeOffset? deadline = null;
        if (Header(headers, DeadlineHeader) is { } ms)
        {
            deadline = long.TryParse(ms, NumberStyles.None, CultureInfo.InvariantCulture, out var epochMs)
                ? DateTimeOffset.FromUnixTimeMilliseconds(epochMs)
                : throw new RuntimeApiException($"{DeadlineHeader} '{ms}' is not a number of milliseconds");
        }

        var payload = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var context = new InvocationContext(requestId, deadline, Header(headers, FunctionArnHeader), Header(headers, TraceIdHeader));
        return new RuntimeInvocation(context, payload);
    }

    /// <summary>Posts the invocation's response.</summary>
    /// <exception cref="ResponseTooLargeException">The response is larger than <see cref="MaxResponseBytes"/>; nothing was posted.</exception>
    public async Task RespondAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        if (response.Length > MaxResponseBytes)
        {
            throw new ResponseTooLargeException(response.Length, MaxResponseBytes);
        }

        var path = $"runtime/invocation/{Uri.EscapeDataString(requestId)}/response";
        using var content = new ReadOnlyMemoryContent(response);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var answer = await SendAsync(HttpMethod.Post, path, content, null, cancellationToken);
        await EnsureSuccessAsync(answer, path, cancellationToken);
    }

    /// <summary>Reports that the invocation failed.</summary>
    public Task ReportErrorAsync(string requestId, ErrorDocument error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        return PostErrorAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);
    }

    /// <summary>Reports that the function could not initialize; Lambda then ends this execution environment.</summary>
    public Task ReportInitErrorAsync(ErrorDocument error, CancellationToken cancellationToken = default) =>
        PostErrorAsync("runtime/init/error", error, cancellationToken);

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task PostErrorAsync(string path, ErrorDocument error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        var body = JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJsonContext.Default.ErrorDocument);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var answer = await SendAsync(HttpMethod.Post, path, content, error.ErrorType, cancellationToken);
        await EnsureSuccessAsync(answer, path, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, string? errorType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content, Version = HttpVersion.Version11 };
        if (errorType is not null)
        {
            // Header values must be plain ASCII without line breaks; a type name always is, but be safe.
            request.Headers.TryAddWithoutValidation(ErrorTypeHeader, new string([.. errorType.Where(c => c is >= ' ' and <= '~')]));
        }

        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RuntimeApiException($"{method} {path}: the Runtime API at {_http.BaseAddress} is unreachable ({e.Message})", e);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new RuntimeApiException($"{path} answered {(int)response.StatusCode} {response.ReasonPhrase}: {(body.Length > 500 ? body[..500] : body)}");
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() is { Length: > 0 } v ? v : null : null;
}
