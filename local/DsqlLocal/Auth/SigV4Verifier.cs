using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DsqlLocal.Http;
using Microsoft.AspNetCore.Http;

namespace DsqlLocal.Auth;

/// <summary>The caller a valid signature identifies, and the Region its credential scope names.</summary>
internal sealed record SignedCaller(string AccessKeyId, string Region);

/// <summary>
/// Server-side AWS Signature Version 4 check for a non-S3 service: recomputes the canonical request from
/// the bytes actually received (raw path, raw query, headers, body) and compares signatures, answering
/// the same 403 error types AWS front ends use.
/// </summary>
internal sealed class SigV4Verifier
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string ServiceName = "dsql";
    private const string AmzDateFormat = "yyyyMMdd'T'HHmmss'Z'";
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, string> _secrets;
    private readonly TimeProvider _time;
    private readonly string _service;

    /// <param name="service">The signing name the credential scope must carry: "dsql" here; the local application
    /// host verifies "states" (and later "events") requests with the same code.</param>
    public SigV4Verifier(IEnumerable<AccessKeyPair> keys, TimeProvider time, string service = ServiceName)
    {
        _service = service;
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            secrets[key.AccessKeyId] = key.SecretAccessKey;
        }

        _secrets = secrets;
        _time = time;
    }

    /// <param name="clock">The clock this request's signature date is checked against, when not the verifier's own
    /// (requests from in-process callers that sign with the emulator's clock, beside socket clients on the wall clock).</param>
    public SignedCaller Verify(string method, string rawPath, string rawQuery, IHeaderDictionary headers, byte[] body, TimeProvider? clock = null)
    {
        var authorization = headers.Authorization.ToString();
        if (string.IsNullOrWhiteSpace(authorization))
        {
            throw Errors.Forbidden("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        var parts = ParseAuthorization(authorization);
        var scope = parts.Credential.Split('/');
        if (scope.Length != 5)
        {
            throw Incomplete($"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{parts.Credential}'");
        }

        var (accessKeyId, scopeDate, region, service, terminator) = (scope[0], scope[1], scope[2], scope[3], scope[4]);
        if (!_secrets.TryGetValue(accessKeyId, out var secret))
        {
            throw Errors.Forbidden("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        if (service != _service)
        {
            throw Invalid($"Credential should be scoped to correct service: '{_service}'. ");
        }

        if (terminator != "aws4_request")
        {
            throw Invalid($"Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'. ");
        }

        var amzDate = headers["X-Amz-Date"].ToString();
        if (!DateTimeOffset.TryParseExact(amzDate, AmzDateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            throw Incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }

        if (scopeDate != amzDate[..8])
        {
            throw Invalid($"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{amzDate[..8]}', from '{amzDate}'.");
        }

        CheckClock(signedAt, clock ?? _time);
        if (!parts.SignedHeaders.Contains("host", StringComparer.Ordinal))
        {
            throw Invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }

        var actualPayloadHash = Hex(SHA256.HashData(body));
        var declaredPayloadHash = headers["X-Amz-Content-SHA256"].ToString();
        if (declaredPayloadHash.Length > 0 && declaredPayloadHash != "UNSIGNED-PAYLOAD" && !string.Equals(declaredPayloadHash, actualPayloadHash, StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        var canonicalRequest = string.Join(
            '\n',
            method,
            CanonicalUri(rawPath),
            CanonicalQuery(rawQuery),
            CanonicalHeaders(parts.SignedHeaders, headers),
            string.Join(';', parts.SignedHeaders),
            declaredPayloadHash.Length > 0 ? declaredPayloadHash : actualPayloadHash);
        var credentialScope = string.Join('/', scopeDate, region, service, terminator);
        var stringToSign = string.Join('\n', Algorithm, amzDate, credentialScope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var expected = Hex(Sign(SigningKey(secret, scopeDate, region, service), stringToSign));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(parts.Signature.ToLowerInvariant())))
        {
            throw Invalid("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }

        return new SignedCaller(accessKeyId, region);
    }

    /// <summary>
    /// Non-S3 services sign the path with every segment encoded once more on top of what travelled on the
    /// wire (so "%3A" is signed as "%253A"), after removing empty and dot segments.
    /// </summary>
    internal static string CanonicalUri(string rawPath)
    {
        var segments = new List<string>();
        foreach (var segment in rawPath.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(UriEncode(segment));
        }

        var path = "/" + string.Join('/', segments);
        return segments.Count > 0 && rawPath.EndsWith('/') ? path + "/" : path;
    }

    internal static string CanonicalQuery(string rawQuery)
    {
        var pairs = RawQuery.Parse(rawQuery).Pairs
            .Where(p => p.Key != "X-Amz-Signature")
            .Select(p => (Key: UriEncode(p.Key), Value: UriEncode(p.Value)))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => p.Key + "=" + p.Value));
    }

    /// <summary>RFC 3986 percent-encoding as SigV4 defines it: everything but unreserved characters.</summary>
    internal static string UriEncode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string CanonicalHeaders(IReadOnlyList<string> signedHeaders, IHeaderDictionary headers)
    {
        var builder = new StringBuilder();
        foreach (var name in signedHeaders)
        {
            var values = headers[name].Select(v => CollapseSpaces(v ?? string.Empty));
            builder.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }

        // Each header line ends in a newline and string.Join adds one more: SigV4 wants that blank line.
        return builder.ToString();
    }

    private static string CollapseSpaces(string value)
    {
        var builder = new StringBuilder(value.Length);
        var lastWasSpace = false;
        foreach (var c in value.Trim())
        {
            var isSpace = c is ' ' or '\t';
            if (!(isSpace && lastWasSpace))
            {
                builder.Append(isSpace ? ' ' : c);
            }

            lastWasSpace = isSpace;
        }

        return builder.ToString();
    }

    private static void CheckClock(DateTimeOffset signedAt, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var format = (DateTimeOffset t) => t.UtcDateTime.ToString(AmzDateFormat, CultureInfo.InvariantCulture);
        if (signedAt < now - AllowedSkew)
        {
            throw Invalid($"Signature expired: {format(signedAt)} is now earlier than {format(now - AllowedSkew)} ({format(now)} - 5 min.)");
        }

        if (signedAt > now + AllowedSkew)
        {
            throw Invalid($"Signature not yet current: {format(signedAt)} is still later than {format(now + AllowedSkew)} ({format(now)} + 5 min.)");
        }
    }

    private static (string Credential, IReadOnlyList<string> SignedHeaders, string Signature) ParseAuthorization(string header)
    {
        var trimmed = header.Trim();
        if (!trimmed.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            var algorithm = trimmed.Split(' ', 2)[0];
            throw Incomplete($"Unsupported authorization algorithm '{algorithm}'; expected {Algorithm}.");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in trimmed[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                fields[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }

        foreach (var required in new[] { "Credential", "SignedHeaders", "Signature" })
        {
            if (!fields.ContainsKey(required))
            {
                throw Incomplete($"Authorization header requires '{required}' parameter. Authorization={header}");
            }
        }

        var signedHeaders = fields["SignedHeaders"].Split(';', StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToList();
        return (fields["Credential"], signedHeaders, fields["Signature"]);
    }

    private static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = Sign(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Sign(key, region);
        key = Sign(key, service);
        return Sign(key, "aws4_request");
    }

    private static byte[] Sign(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static DsqlApiException Invalid(string message) => Errors.Forbidden("InvalidSignatureException", message);

    private static DsqlApiException Incomplete(string message) => Errors.Forbidden("IncompleteSignatureException", message);
}
