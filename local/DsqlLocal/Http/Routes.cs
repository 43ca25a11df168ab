namespace DsqlLocal.Http;

internal sealed record RouteMatch(string Operation, string? Identifier = null, string? ResourceArn = null);

/// <summary>Maps method + raw path to the operations of service-2.json that the emulator serves.</summary>
internal static class Routes
{
    public static RouteMatch? Match(string method, string rawPath)
    {
        if (rawPath == "/cluster")
        {
            return method switch
            {
                "POST" => new RouteMatch("CreateCluster"),
                "GET" => new RouteMatch("ListClusters"),
                _ => null,
            };
        }

        if (rawPath.StartsWith("/cluster/", StringComparison.Ordinal))
        {
            var identifier = Unescape(rawPath["/cluster/".Length..]);
            if (identifier.Length == 0 || identifier.Contains('/', StringComparison.Ordinal))
            {
                return null;
            }

            return method switch
            {
                "GET" => new RouteMatch("GetCluster", identifier),
                "POST" => new RouteMatch("UpdateCluster", identifier),
                "DELETE" => new RouteMatch("DeleteCluster", identifier),
                _ => null,
            };
        }

        if (rawPath.StartsWith("/tags/", StringComparison.Ordinal))
        {
            // The ARN normally arrives as one segment with ':' and '/' percent-encoded; a client that left
            // the '/' unencoded still means the same ARN, so everything after /tags/ is the ARN.
            var arn = Unescape(rawPath["/tags/".Length..]);
            if (arn.Length == 0)
            {
                return null;
            }

            return method switch
            {
                "POST" => new RouteMatch("TagResource", ResourceArn: arn),
                "DELETE" => new RouteMatch("UntagResource", ResourceArn: arn),
                "GET" => new RouteMatch("ListTagsForResource", ResourceArn: arn),
                _ => null,
            };
        }

        return null;
    }

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }
}
