using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;

namespace Workflows.LambdaLocal;

/// <summary>
/// A local Lambda service for OS-only (<c>provided.al2023</c>) functions: each function's <c>bootstrap</c> runs as real
/// processes speaking the Lambda Runtime API; invocations come through <see cref="InvokeAsync"/> or the Invoke API
/// (<see cref="InvokeEndpoint"/>, what <c>aws lambda invoke --endpoint-url</c> talks to). Warm instances are reused,
/// a busy function gets another process, and every process is gone when the service is disposed.
/// </summary>
public sealed class LambdaService : IAsyncDisposable
{
    private readonly Dictionary<string, FunctionPool> _pools;
    private readonly ConcurrentDictionary<int, byte> _processIds = new();
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private WebApplication? _invokeApi;
    private int _disposed;

    private LambdaService(IEnumerable<LambdaFunction> functions, LambdaLocalOptions options)
    {
        Options = options;
        _pools = new Dictionary<string, FunctionPool>(StringComparer.Ordinal);
        foreach (var f in functions)
        {
            ArgumentException.ThrowIfNullOrEmpty(f.Name);
            if (!_pools.TryAdd(f.Name, new FunctionPool(f, options, pid => _processIds.TryAdd(pid, 0))))
            {
                throw new ArgumentException($"function '{f.Name}' is declared twice", nameof(functions));
            }
        }
    }

    public LambdaLocalOptions Options { get; }

    public IReadOnlyCollection<string> FunctionNames => _pools.Keys;

    public IEnumerable<LambdaFunction> Functions => _pools.Values.Select(p => p.Function);

    /// <summary>The Invoke API's base address (http://127.0.0.1:PORT).</summary>
    public Uri InvokeEndpoint { get; private set; } = null!;

    /// <summary>Every process id this service has started (alive or not), for hosts that want to check on them.</summary>
    public IReadOnlyCollection<int> StartedProcessIds => [.. _processIds.Keys];

    /// <summary>Starts the Invoke API; processes start on demand, at a function's first invocation.</summary>
    public static async Task<LambdaService> StartAsync(IEnumerable<LambdaFunction> functions, LambdaLocalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(functions);
        var service = new LambdaService(functions, options ?? new LambdaLocalOptions());
        try
        {
            var (app, port) = await LoopbackHost.StartAsync(service.Options.InvokeApiPort, a => InvokeApi.Map(a, service), cancellationToken);
            service._invokeApi = app;
            service.InvokeEndpoint = new Uri($"http://127.0.0.1:{port}");
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>The function's ARN: arn:aws:lambda:{region}:{account}:function:{name}.</summary>
    public string FunctionArn(string name) => $"arn:aws:lambda:{Options.Region}:{Options.Account}:function:{name}";

    /// <summary>Finds a function by name, partial ARN (123456789012:function:Name) or full ARN; a qualifier other than $LATEST does not resolve.</summary>
    public bool TryResolve(string functionNameOrArn, out string name)
    {
        ArgumentNullException.ThrowIfNull(functionNameOrArn);
        var parts = functionNameOrArn.Split(':');
        var i = Array.IndexOf(parts, "function");
        string? qualifier;
        if (i >= 0 && i + 1 < parts.Length)
        {
            name = parts[i + 1];
            qualifier = i + 2 < parts.Length ? parts[i + 2] : null;
        }
        else
        {
            name = parts[0];
            qualifier = parts.Length > 1 ? parts[1] : null;
        }

        return _pools.ContainsKey(name) && (qualifier is null || qualifier == "$LATEST");
    }

    /// <summary>
    /// A synchronous (RequestResponse) invocation. A function error is not an exception: it is a result with
    /// <see cref="InvocationResult.FunctionError"/> "Unhandled" and the error document as payload, as the Invoke API answers.
    /// Cancelling stops the wait, not the invocation (Lambda's does not stop either when a caller goes away).
    /// </summary>
    /// <exception cref="LambdaFunctionNotFoundException">No such function.</exception>
    public Task<InvocationResult> InvokeAsync(string functionNameOrArn, ReadOnlyMemory<byte> payload, InvokeOptions? invokeOptions = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!TryResolve(functionNameOrArn, out var name))
        {
            throw new LambdaFunctionNotFoundException($"Function not found: {(functionNameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? functionNameOrArn : FunctionArn(functionNameOrArn.Split(':')[0]))}");
        }

        var invocation = new PendingInvocation(
            Guid.NewGuid().ToString(),
            payload.ToArray(),
            functionNameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? functionNameOrArn : FunctionArn(name),
            NewTraceId(),
            invokeOptions?.ClientContext,
            invokeOptions?.CognitoIdentity);
        return _pools[name].InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>An Event invocation: queued and run in the background; its result goes only to the log.</summary>
    public void InvokeEvent(string functionNameOrArn, ReadOnlyMemory<byte> payload)
    {
        var task = InvokeAsync(functionNameOrArn, payload);
        _background.TryAdd(task, 0);
        _ = task.ContinueWith(t => _background.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Process ids of the function's live instances.</summary>
    public IReadOnlyList<int> LiveProcessIds(string functionName) =>
        _pools.TryGetValue(functionName, out var pool) ? pool.LiveProcessIds() : [];

    /// <summary>SIGTERM to every instance, SIGKILL after <see cref="LambdaLocalOptions.ShutdownGracePeriod"/>; the Invoke API stops.</summary>
    public async Task ShutdownAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(_pools.Values.Select(p => p.ShutdownAsync(Options.ShutdownGracePeriod)));
        await StopInvokeApiAsync();
    }

    /// <summary>Kills every instance at once (no grace period) and stops the Invoke API.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Task.WhenAll(_pools.Values.Select(p => p.ShutdownAsync(TimeSpan.Zero)));
        await StopInvokeApiAsync();
    }

    private async Task StopInvokeApiAsync()
    {
        try
        {
            await Task.WhenAll(_background.Keys);
        }
        catch (OperationCanceledException)
        {
            // Background invocations end with their instances.
        }

        if (_invokeApi is not null)
        {
            await _invokeApi.StopAsync(CancellationToken.None);
            await _invokeApi.DisposeAsync();
            _invokeApi = null;
        }
    }

    // The X-Ray header format: Root=1-{epoch seconds, 8 hex}-{96 random bits}; Parent={64 bits}; Sampled=0.
    private string NewTraceId()
    {
        var seconds = Options.Clock.GetUtcNow().ToUnixTimeSeconds();
        return $"Root=1-{seconds:x8}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))};Parent={Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))};Sampled=0";
    }
}
