namespace Workflows.Functions.Tests.Support;

/// <summary>
/// The network between the client and DSQL Local: counts every attempt that goes out, lets a test wait for
/// the next one (so it can move the fake clock while a request is in flight), and can refuse connections the
/// way a dead endpoint does.
/// </summary>
internal sealed class NetworkHandler(HttpMessageHandler server) : DelegatingHandler(server)
{
    private readonly SemaphoreSlim _sent = new(0);
    private int _requests;

    /// <summary>When true, every request fails as "connection refused" without reaching the server.</summary>
    public bool Down { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public void ResetCount() => Interlocked.Exchange(ref _requests, 0);

    /// <summary>Completes when the next attempt has been handed to the network.</summary>
    public Task NextRequestAsync() => _sent.WaitAsync();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        _sent.Release();
        return Down
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:8787)"))
            : base.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sent.Dispose();
        }

        base.Dispose(disposing);
    }
}
