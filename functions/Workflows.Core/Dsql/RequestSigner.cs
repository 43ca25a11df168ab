using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace Workflows.Core.Dsql;

/// <summary>
/// Signs a DSQL request with AWSSDK.Core's own SigV4 signer, so the canonicalisation (double-encoded paths,
/// sorted query, signed headers) is the SDK's, not ours. The SDK's request type carries the request only
/// while it is being signed; the HTTP call itself is made by <see cref="DsqlClient"/>.
/// </summary>
internal sealed class RequestSigner
{
    public const string SigningName = "dsql";

    private readonly AWS4Signer _signer = new();
    private readonly SigningConfig _config = new();

    public sealed record SignedRequest(Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers);

    public SignedRequest Sign(
        string region,
        Uri endpoint,
        string method,
        string resourcePath,
        IReadOnlyDictionary<string, string> pathResources,
        IReadOnlyList<KeyValuePair<string, string>> query,
        byte[]? body,
        ImmutableCredentials credentials,
        DateTimeOffset signingTime)
    {
        var request = new DefaultRequest(new SigningRequest(), "DSQL")
        {
            HttpMethod = method,
            ResourcePath = resourcePath,
            Endpoint = endpoint,
            AuthenticationRegion = region,
            OverrideSigningServiceName = SigningName,
            UseQueryString = true,
            Content = body,
        };

        foreach (var (name, value) in pathResources)
        {
            request.AddPathResource(name, value);
        }

        foreach (var group in query.GroupBy(p => p.Key, StringComparer.Ordinal))
        {
            request.ParameterCollection.Add(group.Key, group.Select(p => p.Value).ToList());
        }

        if (body is not null)
        {
            request.Headers["Content-Type"] = DsqlClient.JsonContentType;
        }

        if (credentials.UseToken)
        {
            request.Headers["X-Amz-Security-Token"] = credentials.Token;
        }

        var result = _signer.SignRequest(request, _config, metrics: null, credentials.AccessKey, credentials.SecretKey, signingTime.UtcDateTime);
        request.Headers["Authorization"] = result.ForAuthorizationHeader;

        return new SignedRequest(new Uri(AmazonServiceClient.ComposeUrl(request).AbsoluteUri), request.Headers.ToList());
    }

    private sealed class SigningRequest : AmazonWebServiceRequest;

    // The signer asks its config for a few settings; none of them change how DSQL is signed.
    private sealed class SigningConfig : ClientConfig
    {
        public SigningConfig()
            : base(new FixedDefaults())
        {
            AuthenticationServiceName = SigningName;
        }

        public override string RegionEndpointServiceName => SigningName;

        public override string ServiceVersion => "2018-05-10";

        public override string UserAgent => "workflows-dsql";

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
            throw new NotSupportedException("Endpoints are resolved by DsqlEndpointResolver.");
    }

    private sealed class FixedDefaults : IDefaultConfigurationProvider
    {
        public IDefaultConfiguration GetDefaultConfiguration(RegionEndpoint clientRegion, DefaultConfigurationMode? requestedConfigurationMode = null) =>
            new DefaultConfiguration { Name = DefaultConfigurationMode.Standard, RetryMode = RequestRetryMode.Standard };
    }
}
