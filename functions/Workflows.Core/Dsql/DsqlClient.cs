using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Workflows.Core.Dsql.Exceptions;

namespace Workflows.Core.Dsql;

/// <summary>
/// Our client for the Aurora DSQL control plane in one Region (AWSSDK.DSQL is not available to this
/// project). rest-json over HttpClient, signed by AWSSDK.Core's SigV4 signer with its default credential
/// chain, retried like the SDKs' standard mode. It never invents a clientToken: the caller's token goes out
/// untouched on every attempt, so a retry can never hide a second cluster.
/// </summary>
public sealed partial class DsqlClient : IDsqlClient, IDisposable
{
    public const string JsonContentType = "application/json";

    private static readonly Operation CreateCluster = new("CreateCluster", HttpMethod.Post, "/cluster", Idempotent: false);
    private static readonly Operation GetCluster = new("GetCluster", HttpMethod.Get, "/cluster/{identifier}", Idempotent: true);
    private static readonly Operation UpdateCluster = new("UpdateCluster", HttpMethod.Post, "/cluster/{identifier}", Idempotent: false);
    // The model calls DeleteCluster idempotent because SDKs send a generated token; resent without one, a
    // delete that did take effect comes back as ConflictException ("already deleting"), so it is not.
    private static readonly Operation DeleteCluster = new("DeleteCluster", HttpMethod.Delete, "/cluster/{identifier}", Idempotent: false);
    private static readonly Operation ListClusters = new("ListClusters", HttpMethod.Get, "/cluster", Idempotent: true);
    private static readonly Operation TagResource = new("TagResource", HttpMethod.Post, "/tags/{resourceArn}", Idempotent: true);
    private static readonly Operation UntagResource = new("UntagResource", HttpMethod.Delete, "/tags/{resourceArn}", Idempotent: true);
    private static readonly Operation ListTagsForResource = new("ListTagsForResource", HttpMethod.Get, "/tags/{resourceArn}", Idempotent: true);

    private readonly DsqlClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _jitter;
    private readonly RequestSigner _signer = new();
    private readonly Lazy<AWSCredentials> _credentials;

    public DsqlClient(
        string region,
        DsqlClientOptions options,
        HttpClient? httpClient = null,
        TimeProvider? timeProvider = null,
        ILogger<DsqlClient>? logger = null,
        Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Region = region;
        Endpoint = DsqlEndpointResolver.Resolve(region, options.ServiceUrl, options.UseFips, environment ?? Environment.GetEnvironmentVariable);
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _jitter = options.RandomSeed is { } seed ? new Random(seed) : new Random();
        // PublicationOnly: a chain that finds nothing now (no role yet, no profile) is asked again next call,
        // instead of the first failure being remembered for the life of the client.
        _credentials = new Lazy<AWSCredentials>(
            () => options.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null),
            LazyThreadSafetyMode.PublicationOnly);

        if (httpClient is null)
        {
            // Timeouts are ours (per attempt, on the TimeProvider); HttpClient's own would race them.
            _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = Timeout.InfiniteTimeSpan };
            _ownsHttp = true;
        }
        else
        {
            _http = httpClient;
        }
    }

    public string Region { get; }

    /// <summary>The endpoint this client resolved for its Region.</summary>
    public Uri Endpoint { get; }

    public async Task<CreateClusterResponse> CreateClusterAsync(CreateClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, DsqlJsonContext.Default.CreateClusterRequest);
        var call = new Call(CreateCluster, NoPath, NoQuery, body, request.ClientToken);
        return await SendAsync(call, DsqlJsonContext.Default.CreateClusterResponse, cancellationToken);
    }

    public async Task<GetClusterResponse> GetClusterAsync(string identifier, CancellationToken cancellationToken = default)
    {
        var call = new Call(GetCluster, PathOf("identifier", identifier), NoQuery, null, null);
        return await SendAsync(call, DsqlJsonContext.Default.GetClusterResponse, cancellationToken);
    }

    public async Task<ClusterStatusResponse> UpdateClusterAsync(UpdateClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new WireBodies.UpdateCluster(request.DeletionProtectionEnabled, request.KmsEncryptionKey, request.ClientToken, request.MultiRegionProperties),
            DsqlWireJsonContext.Default.UpdateCluster);
        var call = new Call(UpdateCluster, PathOf("identifier", request.Identifier), NoQuery, body, request.ClientToken);
        return await SendAsync(call, DsqlJsonContext.Default.ClusterStatusResponse, cancellationToken);
    }

    public async Task<ClusterStatusResponse> DeleteClusterAsync(DeleteClusterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.ClientToken is null ? NoQuery : [new("client-token", request.ClientToken)];
        var call = new Call(DeleteCluster, PathOf("identifier", request.Identifier), query, null, request.ClientToken);
        return await SendAsync(call, DsqlJsonContext.Default.ClusterStatusResponse, cancellationToken);
    }

    public async Task<ListClustersResponse> ListClustersAsync(ListClustersRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = new List<KeyValuePair<string, string>>();
        if (request.MaxResults is { } max)
        {
            query.Add(new("max-results", max.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (!string.IsNullOrEmpty(request.NextToken))
        {
            query.Add(new("next-token", request.NextToken));
        }

        var call = new Call(ListClusters, NoPath, query, null, null);
        return await SendAsync(call, DsqlJsonContext.Default.ListClustersResponse, cancellationToken);
    }

    public async Task TagResourceAsync(TagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.SerializeToUtf8Bytes(new WireBodies.TagResource(request.Tags), DsqlWireJsonContext.Default.TagResource);
        await SendAsync(new Call(TagResource, PathOf("resourceArn", request.ResourceArn), NoQuery, body, null), cancellationToken);
    }

    public async Task UntagResourceAsync(UntagResourceRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.TagKeys.Select(k => new KeyValuePair<string, string>("tagKeys", k)).ToList();
        await SendAsync(new Call(UntagResource, PathOf("resourceArn", request.ResourceArn), query, null, null), cancellationToken);
    }

    public async Task<ListTagsForResourceResponse> ListTagsForResourceAsync(string resourceArn, CancellationToken cancellationToken = default)
    {
        var call = new Call(ListTagsForResource, PathOf("resourceArn", resourceArn), NoQuery, null, null);
        return await SendAsync(call, DsqlJsonContext.Default.ListTagsForResourceResponse, cancellationToken);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static readonly Dictionary<string, string> NoPath = [];
    private static readonly List<KeyValuePair<string, string>> NoQuery = [];

    private static Dictionary<string, string> PathOf(string member, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"{member} is required and must not be empty.", member);
        }

        return new Dictionary<string, string> { ["{" + member + "}"] = value };
    }

    private async Task<T> SendAsync<T>(Call call, JsonTypeInfo<T> responseType, CancellationToken cancellationToken)
    {
        var body = await SendAsync(call, cancellationToken);
        try
        {
            return JsonSerializer.Deserialize(body, responseType)
                ?? throw new JsonException("The response body was empty.");
        }
        catch (JsonException ex)
        {
            throw new DsqlServiceException("InvalidResponse", $"{call.Operation.Name} returned a body that is not its output shape: {ex.Message}", HttpStatusCode.OK, null, ex);
        }
    }

    private async Task<byte[]> SendAsync(Call call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await AttemptAsync(call, cancellationToken);
            if (outcome.Body is { } body)
            {
                return body;
            }

            var failure = outcome.Failure!;
            var delay = outcome.RetryAfter ?? Backoff(attempt);
            var retry = outcome.Retryable && attempt < _options.MaxAttempts && delay <= _options.MaxRetryAfter;
            if (!retry)
            {
                if (failure is DsqlServiceException)
                {
                    throw failure;
                }

                throw new DsqlTransportException($"{call.Operation.Name} in {Region} got no answer from {Endpoint} after {attempt} attempt(s): {failure.Message}", failure);
            }

            LogRetry(call.Operation.Name, Region, attempt, _options.MaxAttempts, delay.TotalMilliseconds, ErrorName(failure));
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    private async Task<Outcome> AttemptAsync(Call call, CancellationToken cancellationToken)
    {
        var operation = call.Operation;
        var credentials = await _credentials.Value.GetCredentialsAsync();
        var signed = _signer.Sign(Region, Endpoint, operation.Method.Method, operation.Path, call.PathResources, call.Query, call.Body, credentials, _time.GetUtcNow());

        using var message = new HttpRequestMessage(operation.Method, signed.Url);
        if (call.Body is not null)
        {
            message.Content = new ByteArrayContent(call.Body);
            message.Content.Headers.TryAddWithoutValidation("Content-Type", JsonContentType);
        }

        foreach (var (name, value) in signed.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            message.Headers.TryAddWithoutValidation(name, value);
        }

        message.Headers.TryAddWithoutValidation("User-Agent", "workflows-dsql-client/1.0");

        using var attemptTimeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimeout.Token);

        // A create, update or delete without a clientToken may have been carried out even though no answer
        // came back; sending it again could make a second cluster or turn a done delete into a Conflict.
        // Only a throttle proves it was not carried out.
        var safeToResend = operation.Idempotent || call.ClientToken is not null;
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(linked.Token);
            if (response.IsSuccessStatusCode)
            {
                return new Outcome(bytes, null, false, null);
            }

            var error = DsqlErrorParser.Parse(response.StatusCode, response.Headers, bytes, _time.GetUtcNow(), call.ClientToken);
            var retryAfter = error switch
            {
                ThrottlingException t => t.RetryAfter,
                InternalServerException i => i.RetryAfter,
                _ => null,
            };
            var retryable = error is ThrottlingException || (error.IsRetryable && safeToResend);
            return new Outcome(null, error, retryable, retryAfter);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var timeout = new TimeoutException($"no complete answer within {_options.RequestTimeout.TotalSeconds:0.###} s");
            return new Outcome(null, timeout, safeToResend, null);
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(null, ex, safeToResend, null);
        }
    }

    // Full jitter: uniform in [0, min(cap, base × 2^(attempt-1))].
    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        double fraction;
        lock (_jitter)
        {
            fraction = _jitter.NextDouble();
        }

        // Whole milliseconds: timers resolve no finer, and a delay the caller can log is the one waited.
        return TimeSpan.FromMilliseconds(Math.Floor(ceiling * fraction));
    }

    private static string ErrorName(Exception error) => error is DsqlServiceException service ? service.ErrorCode : error.GetType().Name;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} in {Region} failed on attempt {Attempt} of {MaxAttempts} with {Error}; retrying in {DelayMs} ms")]
    private partial void LogRetry(string operation, string region, int attempt, int maxAttempts, double delayMs, string error);

    private sealed record Operation(string Name, HttpMethod Method, string Path, bool Idempotent);

    private sealed record Call(
        Operation Operation,
        IReadOnlyDictionary<string, string> PathResources,
        IReadOnlyList<KeyValuePair<string, string>> Query,
        byte[]? Body,
        string? ClientToken);

    private sealed record Outcome(byte[]? Body, Exception? Failure, bool Retryable, TimeSpan? RetryAfter);
}
