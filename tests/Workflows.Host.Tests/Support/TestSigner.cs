using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Workflows.Host.Tests.Support;

/// <summary>
/// A minimal SigV4 signer for awsJson POSTs to "/" (no query, headers host, x-amz-date, x-amz-target,
/// content-type): enough to drive the host as an SDK would, written from the SigV4 specification.
/// </summary>
internal static class TestSigner
{
    public const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    public static void Sign(HttpRequestMessage request, byte[] body, string region, string service, DateTimeOffset at, string secret = SecretAccessKey, string accessKeyId = AccessKeyId)
    {
        var amzDate = at.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var host = request.RequestUri!.Authority;
        var target = request.Headers.GetValues("X-Amz-Target").Single();
        const string contentType = "application/x-amz-json-1.0";
        var payloadHash = Hex(SHA256.HashData(body));
        request.Headers.Add("X-Amz-Date", amzDate);
        var canonical = string.Join('\n',
            "POST",
            "/",
            string.Empty,
            $"content-type:{contentType}\nhost:{host}\nx-amz-date:{amzDate}\nx-amz-target:{target}\n",
            "content-type;host;x-amz-date;x-amz-target",
            payloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = string.Join('\n', "AWS4-HMAC-SHA256", amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
        var key = Hmac(Hmac(Hmac(Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date), region), service), "aws4_request");
        var signature = Hex(Hmac(key, toSign));
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{scope}, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={signature}");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
