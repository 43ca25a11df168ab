namespace DsqlLocal.Http;

internal sealed record RouteMatch(string Operation, string? Identifier = null, string? ResourceArn = null, string? StreamIdentifier = null);

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

        if (rawPath.Length > "/cluster//policy".Length && rawPath.StartsWith("/cluster/", StringComparison.Ordinal) && rawPath.EndsWith("/policy", StringComparison.Ordinal))
        {
            var identifier = Unescape(rawPath["/cluster/".Length..^"/policy".Length]);
            if (identifier.Length == 0 || identifier.Contains('/', StringComparison.Ordinal))
            {
                return null;
            }

            return method switch
            {
                "POST" => new RouteMatch("PutClusterPolicy", identifier),
                "GET" => new RouteMatch("GetClusterPolicy", identifier),
                "DELETE" => new RouteMatch("DeleteClusterPolicy", identifier),
                _ => null,
            };
        }

        if (rawPath.StartsWith("/stream/", StringComparison.Ordinal))
        {
            var segments = rawPath["/stream/".Length..].Split('/');
            if (segments.Any(s => s.Length == 0) || segments.Length > 2)
            {
                return null;
            }

            var cluster = Unescape(segments[0]);
            return (segments.Length, method) switch
            {
                (1, "POST") => new RouteMatch("CreateStream", cluster),
                (1, "GET") => new RouteMatch("ListStreams", cluster),
                (2, "GET") => new RouteMatch("GetStream", cluster, StreamIdentifier: Unescape(segments[1])),
                (2, "DELETE") => new RouteMatch("DeleteStream", cluster, StreamIdentifier: Unescape(segments[1])),
                _ => null,
            };
        }

        if (rawPath.Length > "/clusters//vpc-endpoint-service-name".Length
            && rawPath.StartsWith("/clusters/", StringComparison.Ordinal)
            && rawPath.EndsWith("/vpc-endpoint-service-name", StringComparison.Ordinal))
        {
            var identifier = Unescape(rawPath["/clusters/".Length..^"/vpc-endpoint-service-name".Length]);
            return identifier.Length == 0 || identifier.Contains('/', StringComparison.Ordinal) || method != "GET"
                ? null
                : new RouteMatch("GetVpcEndpointServiceName", identifier);
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
