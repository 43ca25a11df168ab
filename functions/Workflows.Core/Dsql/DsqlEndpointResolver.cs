using System.Text.RegularExpressions;

namespace Workflows.Core.Dsql;

/// <summary>
/// Where a call for a Region goes, as the official SDKs decide it: an explicit endpoint, then the
/// service-specific and global endpoint variables, then endpoint-rule-set-1.json's
/// <c>https://dsql.{Region}.{dualStackDnsSuffix}</c> (FIPS: <c>dsql-fips</c>).
/// </summary>
public static partial class DsqlEndpointResolver
{
    public const string ServiceEndpointVariable = "AWS_ENDPOINT_URL_DSQL";
    public const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";
    public const string IgnoreConfiguredEndpointsVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    // The Region catalog's rules: the union of the partitions' regionRegex in botocore's partitions.json (aws,
    // aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc). \A and \z rather than ^ and $:
    // .NET's $ also matches before a final newline, which let "us-east-1\n" through.
    [GeneratedRegex(@"\A(?:(?:us|eu|ap|sa|ca|me|af|il|mx|cn)-[a-z]+|us-gov-[a-z]+|us-iso[bf]?-[a-z]+|eu-isoe-[a-z]+|eusc-de-[a-z]+)-[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    /// <summary>
    /// True for a Region name the Region catalog's rules admit, such as <c>us-east-1</c> or <c>ap-southeast-2</c>:
    /// no surrounding whitespace, no trailing newline, a known partition prefix.
    /// </summary>
    public static bool IsValidRegion(string? region) => region is not null && region.Length <= 50 && RegionPattern().IsMatch(region);

    public static Uri Resolve(string region, Uri? explicitEndpoint, bool useFips, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!IsValidRegion(region))
        {
            throw new ArgumentException($"Region '{region}' is not a valid AWS Region name (expected e.g. us-east-1).", nameof(region));
        }

        var configured = explicitEndpoint ?? FromEnvironment(environment);
        if (configured is not null)
        {
            // The rule set's first branch: a custom endpoint cannot be combined with FIPS.
            if (useFips)
            {
                throw new InvalidOperationException("Invalid Configuration: FIPS and custom endpoint are not supported.");
            }

            return configured;
        }

        var prefix = useFips ? "dsql-fips" : "dsql";
        return new Uri($"https://{prefix}.{region}.{DualStackDnsSuffix(region)}");
    }

    private static Uri? FromEnvironment(Func<string, string?> environment)
    {
        if (string.Equals(environment(IgnoreConfiguredEndpointsVariable), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var name in new[] { ServiceEndpointVariable, GlobalEndpointVariable })
        {
            var value = environment(name);
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException($"{name} is '{value}', which is not an absolute http or https URL.");
            }

            return uri;
        }

        return null;
    }

    // The partitions' dualStackDnsSuffix (aws.partition in the rule set).
    private static string DualStackDnsSuffix(string region) => region switch
    {
        _ when region.StartsWith("cn-", StringComparison.Ordinal) => "api.amazonwebservices.com.cn",
        _ when region.StartsWith("eusc-", StringComparison.Ordinal) => "api.amazonwebservices.eu",
        _ => "api.aws",
    };
}
