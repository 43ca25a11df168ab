using System.Net.Http.Headers;
using System.Text;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace DsqlLocal.Tests.Support;

/// <summary>
/// Builds HTTP requests the way the AWS SDK for .NET does: the SDK composes the URL (encoding path resources)
/// and AWS4Signer signs it, so the server is checked against real client signatures, not a mirror of itself.
/// </summary>
internal sealed class SignedRequest
{
    public string Method { get; init; } = "GET";

    /// <summary>A resource path template such as "/cluster/{identifier}".</summary>
    public string ResourcePath { get; init; } = "/cluster";

    public Dictionary<string, string> PathResources { get; init; } = [];

    public List<KeyValuePair<string, string>> Query { get; init; } = [];

    public string? Body { get; init; }

    /// <summary>Raw body bytes (for bodies that are not valid UTF-8); wins over <see cref="Body"/>.</summary>
    public byte[]? BodyBytes { get; init; }

    public string Region { get; init; } = "us-east-1";

    public string Service { get; init; } = "dsql";

    public string AccessKeyId { get; init; } = DsqlLocalDefaults.AccessKeyId;

    public string SecretAccessKey { get; init; } = DsqlLocalDefaults.SecretAccessKey;

    public string? SessionToken { get; init; }

    public DateTime? SigningTime { get; init; }

    public HttpRequestMessage Build(Uri baseAddress, DateTimeOffset now)
    {
        var request = new DefaultRequest(new ProbeRequest(), "DSQL")
        {
            HttpMethod = Method,
            ResourcePath = ResourcePath,
            Endpoint = baseAddress,
            AuthenticationRegion = Region,
        };
        foreach (var (key, value) in PathResources)
        {
            request.AddPathResource(key, value);
        }

        foreach (var group in Query.GroupBy(q => q.Key))
        {
            var values = group.Select(g => g.Value).ToList();
            if (values.Count == 1)
            {
                request.Parameters[group.Key] = values[0];
            }
            else
            {
                request.ParameterCollection.Add(group.Key, values);
            }
        }

        // As the generated marshallers do: parameters travel in the URL, never as a form body.
        request.UseQueryString = true;
        if (BodyBytes is not null || Body is not null)
        {
            request.Content = BodyBytes ?? Encoding.UTF8.GetBytes(Body!);
            request.Headers["Content-Type"] = "application/json";
        }

        if (SessionToken is not null)
        {
            request.Headers["X-Amz-Security-Token"] = SessionToken;
        }

        var config = new ProbeConfig { AuthenticationServiceName = Service, AuthenticationRegion = Region, ServiceURL = baseAddress.ToString() };
        var result = new AWS4Signer().SignRequest(request, config, null, AccessKeyId, SecretAccessKey, SigningTime ?? now.UtcDateTime);

        // The SDK builds its Uri without canonicalisation, which TestServer cannot read; the text is what matters.
        var url = new Uri(AmazonServiceClient.ComposeUrl(request).OriginalString);
        var message = new HttpRequestMessage(new HttpMethod(Method), url);
        if (request.Content is not null)
        {
            message.Content = new ByteArrayContent(request.Content);
        }

        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                message.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            else if (name.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Host = value;
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        message.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
        return message;
    }

    private sealed class ProbeRequest : AmazonWebServiceRequest;

    private sealed class ProbeConfig : ClientConfig
    {
        public ProbeConfig()
            : base(new ProbeDefaults())
        {
        }

        public override string RegionEndpointServiceName => "dsql";

        public override string ServiceVersion => "2018-05-10";

        public override string UserAgent => "dsql-local-tests";

        public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) => new(ServiceURL);
    }

    private sealed class ProbeDefaults : IDefaultConfigurationProvider
    {
        public IDefaultConfiguration GetDefaultConfiguration(Amazon.RegionEndpoint clientRegion, DefaultConfigurationMode? requestedConfigurationMode = null) =>
            new DefaultConfiguration { Name = DefaultConfigurationMode.Standard, RetryMode = RequestRetryMode.Standard };
    }
}
