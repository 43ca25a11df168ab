using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Workflows.Functions.Tests.Runtime;

/// <summary>
/// A hand-written Lambda Runtime API (2018-06-01) on 127.0.0.1 for protocol tests: hands out queued events on
/// <c>GET /runtime/invocation/next</c> with the documented headers, records every POST (path, error-type header,
/// body, the client's port, which tells whether the connection was kept), answers 202.
/// </summary>
internal sealed class FakeRuntimeApi : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<Event> _events = new();
    private readonly SemaphoreSlim _available = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private static readonly DateTimeOffset FarFuture = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private int _nextId;

    public FakeRuntimeApi()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The value of AWS_LAMBDA_RUNTIME_API for a client of this server.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public ConcurrentQueue<Posted> Posts { get; } = new();

    /// <summary>Client ports of every request, in order: one port means one kept-alive connection.</summary>
    public ConcurrentQueue<int> ClientPorts { get; } = new();

    /// <summary>Set when the runtime asked for its next event after the last queued one (it is idle, waiting).</summary>
    public TaskCompletionSource Drained { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the next POST arrives.</summary>
    public Task<Posted> NextPost => _posted.Task;

    private TaskCompletionSource<Posted> _posted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Queues an event; returns its request id.</summary>
    public string Enqueue(string payload, DateTimeOffset? deadline = null, string traceId = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
    {
        var id = $"8476a536-e9f4-11e8-9739-2dfe598c3fcd-{Interlocked.Increment(ref _nextId)}";
        Drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _events.Enqueue(new Event(id, payload, deadline ?? FarFuture, traceId));
        _available.Release();
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
        _available.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        ClientPorts.Enqueue(request.RemoteEndPoint.Port);
        var path = request.Url!.AbsolutePath;
        try
        {
            if (request.HttpMethod == "GET" && path == "/2018-06-01/runtime/invocation/next")
            {
                if (_events.IsEmpty)
                {
                    Drained.TrySetResult();
                }

                await _available.WaitAsync(_stop.Token);
                _events.TryDequeue(out var next);
                response.Headers["Lambda-Runtime-Aws-Request-Id"] = next!.Id;
                response.Headers["Lambda-Runtime-Deadline-Ms"] = next.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:TestFunction";
                response.Headers["Lambda-Runtime-Trace-Id"] = next.TraceId;
                var body = Encoding.UTF8.GetBytes(next.Payload);
                response.ContentType = "application/json";
                response.ContentLength64 = body.Length;
                await response.OutputStream.WriteAsync(body);
            }
            else if (request.HttpMethod == "POST")
            {
                using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var posted = new Posted(path, request.Headers["Lambda-Runtime-Function-Error-Type"], body, request.ContentType);
                Posts.Enqueue(posted);
                var done = _posted;
                _posted = new TaskCompletionSource<Posted>(TaskCreationOptions.RunContinuationsAsynchronously);
                done.TrySetResult(posted);
                response.StatusCode = 202;
                var ok = """{"status":"OK"}"""u8.ToArray();
                response.ContentLength64 = ok.Length;
                await response.OutputStream.WriteAsync(ok);
            }
            else
            {
                response.StatusCode = 404;
            }
        }
        catch (OperationCanceledException)
        {
            response.StatusCode = 500;
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (HttpListenerException)
            {
            }
        }
    }

    internal sealed record Posted(string Path, string? ErrorTypeHeader, string Body, string? ContentType);

    private sealed record Event(string Id, string Payload, DateTimeOffset Deadline, string TraceId);
}
