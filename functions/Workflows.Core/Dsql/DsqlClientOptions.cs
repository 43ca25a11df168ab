using Amazon.Runtime;

namespace Workflows.Core.Dsql;

/// <summary>How a <see cref="DsqlClient"/> reaches, signs for and retries against the control plane.</summary>
public sealed record DsqlClientOptions
{
    /// <summary>
    /// An endpoint that wins over everything else (e.g. DSQL Local's URL). When null, the client follows the
    /// SDKs' order: <c>AWS_ENDPOINT_URL_DSQL</c>, then <c>AWS_ENDPOINT_URL</c>, then the Region's endpoint.
    /// </summary>
    public Uri? ServiceUrl { get; init; }

    /// <summary>Credentials to sign with. Null means AWSSDK.Core's default chain (environment, profile,
    /// container and instance roles), resolved on first use.</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Attempts per call, the first included (standard retry mode: 3).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Scale of the exponential backoff: attempt n waits up to min(MaxBackoff, BaseDelay × 2^(n-1)).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A Retry-After longer than this is not waited out inside the call: the error goes to the caller, whose
    /// state machine can wait without paying for a running Lambda.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Time allowed for one attempt, from sending the request to reading the whole response.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Seed for the backoff jitter; null draws one from the system.</summary>
    public int? RandomSeed { get; init; }

    /// <summary>Use the FIPS endpoints (as AWS_USE_FIPS_ENDPOINT=true does for the SDKs).</summary>
    public bool UseFips { get; init; }

    /// <summary>Checks the options, naming the one at fault.</summary>
    public void Validate()
    {
        if (MaxAttempts is < 1 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "MaxAttempts must be between 1 and 10.");
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "RequestTimeout must be positive.");
        }

        if (BaseDelay < TimeSpan.Zero || MaxBackoff < TimeSpan.Zero || MaxRetryAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), "BaseDelay, MaxBackoff and MaxRetryAfter must not be negative.");
        }

        if (ServiceUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"ServiceUrl '{url}' must be an absolute http or https URL.", nameof(ServiceUrl));
        }
    }
}
