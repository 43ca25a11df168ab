using System.Globalization;
using DsqlLocal.Auth;
using DsqlLocal.Faults;
using DsqlLocal.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using DsqlLocal.Wire;

namespace DsqlLocal.Http;

/// <summary>
/// The whole request pipeline for the DSQL API: size limit, signature, Region, route, injected faults, then
/// the operation. Every failure becomes a wire error; nothing escapes as a bare 500.
/// </summary>
internal sealed class DsqlRequestHandler(
    ClusterStore store,
    SigV4Verifier verifier,
    FaultInjector faults,
    AdminEndpoints admin,
    TextWriter? log,
    bool verbose,
    bool inProcess,
    TimeProvider time,
    TimeSpan? bodyReadTimeout,
    UnknownRegionBehavior unknownRegion)
{
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Set in <see cref="HttpContext.Items"/> when the request was dropped for a Region without an endpoint.</summary>
    public const string UnreachableItem = "DsqlLocal.Unreachable";

    /// <summary>
    /// TestServer hands the application an already-decoded path and no raw target, so the in-process
    /// handler forwards the request target as sent in this header. It is honoured only in-process.
    /// </summary>
    public const string InProcessRawTargetHeader = "X-DsqlLocal-Raw-Target";

    public async Task HandleAsync(HttpContext context)
    {
        var (rawPath, rawQuery) = RawTarget(context, inProcess);
        if (rawPath == AdminEndpoints.Prefix || rawPath.StartsWith(AdminEndpoints.Prefix + "/", StringComparison.Ordinal))
        {
            await admin.HandleAsync(context, rawPath);
            return;
        }

        var request = context.Request;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var operation = "-";
        var region = "-";
        string? failure = null;
        try
        {
            var body = await ReadBodyAsync(request, context.RequestAborted);
            var caller = verifier.Verify(request.Method, rawPath, rawQuery, request.Headers, body);
            region = caller.Region;
            if (!Constraints.IsRegionName(region))
            {
                throw Errors.Validation(
                    WireValidationReason.Other,
                    $"'{region}' in the credential scope is not a valid Region name (expected a name like us-east-1).");
            }

            if (unknownRegion == UnknownRegionBehavior.Unreachable && !store.Catalog.Serves(region))
            {
                // dsql.{region}.api.aws does not exist for a Region without the service: a client never gets an
                // answer, only a connection failure. Dropping the connection is the nearest equivalent.
                context.Items[UnreachableItem] = $"No such host is known (dsql.{region}.api.aws): Aurora DSQL is not available in {region} (DSQL Local's Region catalog).";
                context.Abort();
                log?.WriteLine($"{request.Method} {rawPath} - {region} -> dropped (Region not in the catalog)");
                return;
            }

            var route = Routes.Match(request.Method, rawPath) ?? throw Errors.UnknownOperation(request.Method, rawPath);
            operation = route.Operation;
            var creationFails = await faults.ApplyAsync(operation, region, caller.AccessKeyId, context.RequestAborted);
            var json = Dispatch(route, region, body, RawQuery.Parse(rawQuery), creationFails);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json, context.RequestAborted);
        }
        catch (DsqlApiException ex)
        {
            failure = verbose ? $"{ex.ErrorType}: {ex.Message}" : ex.ErrorType;
            await ErrorWriter.WriteAsync(context, ex);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            failure = "client went away";
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel's own limits (a body arriving slower than its minimum data rate) end up here: a client
            // problem, so a 4xx rather than the 500 a bug would get.
            failure = verbose ? $"RequestTimeoutException: {ex.Message}" : "RequestTimeoutException";
            await ErrorWriter.WriteAsync(context, Errors.RequestTimeout(ex.Message));
        }
#pragma warning disable CA1031 // Any bug must still produce a wire error rather than a dropped connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = verbose ? ex.ToString() : ex.GetType().Name;
            if (!context.Response.HasStarted)
            {
                await ErrorWriter.WriteAsync(context, Errors.Internal("The emulator failed to process the request: " + ex.Message));
            }
        }

        log?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{request.Method} {rawPath} {operation} {region} -> {context.Response.StatusCode}{(failure is null ? string.Empty : " " + failure)}"));
    }

    /// <summary>
    /// The path and query exactly as the client sent them. SigV4 signs the encoded form, and the decoded
    /// <see cref="HttpRequest.Path"/> cannot give it back for an ARN ("%3A" and ":" decode alike).
    /// </summary>
    internal static (string Path, string Query) RawTarget(HttpContext context, bool inProcess)
    {
        var raw = inProcess && context.Request.Headers.TryGetValue(InProcessRawTargetHeader, out var forwarded)
            ? forwarded.ToString()
            : context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            raw = context.Request.PathBase.ToUriComponent() + context.Request.Path.ToUriComponent() + context.Request.QueryString.ToUriComponent();
        }
        else if (!raw.StartsWith('/') && Uri.TryCreate(raw, UriKind.Absolute, out var absolute))
        {
            raw = absolute.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped);
        }

        var question = raw.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (raw, string.Empty) : (raw[..question], raw[(question + 1)..]);
    }

    private string Dispatch(RouteMatch route, string region, byte[] body, RawQuery query, bool creationFails)
    {
        switch (route.Operation)
        {
            case "CreateCluster":
                return store.Create(region, RequestParser.ParseCreate(body), creationFails);
            case "ListClusters":
                var (maxResults, nextToken) = RequestParser.ParseList(query);
                return store.List(region, maxResults, nextToken);
            case "GetCluster":
                return store.Get(region, RequestParser.ParseIdentifier(route.Identifier!));
            case "UpdateCluster":
                return store.Update(region, RequestParser.ParseUpdate(route.Identifier!, body));
            case "DeleteCluster":
                return store.Delete(region, RequestParser.ParseDelete(route.Identifier!, query));
            case "TagResource":
                var arn = RequestParser.ParseResourceArn(route.ResourceArn!);
                store.Tag(region, arn, RequestParser.ParseTagResource(body));
                return "{}";
            case "UntagResource":
                var untagArn = RequestParser.ParseResourceArn(route.ResourceArn!);
                store.Untag(region, untagArn, RequestParser.ParseUntagKeys(query));
                return "{}";
            case "ListTagsForResource":
                return store.ListTags(region, RequestParser.ParseResourceArn(route.ResourceArn!));
            case "PutClusterPolicy":
                return store.PutPolicy(region, RequestParser.ParsePutPolicy(route.Identifier!, body));
            case "GetClusterPolicy":
                return store.GetPolicy(region, RequestParser.ParseIdentifier(route.Identifier!));
            case "DeleteClusterPolicy":
                return store.DeletePolicy(region, RequestParser.ParseDeletePolicy(route.Identifier!, query));
            case "CreateStream":
                return store.CreateStream(region, RequestParser.ParseCreateStream(route.Identifier!, body));
            case "ListStreams":
                var streamCluster = RequestParser.ParseClusterIdentifier(route.Identifier!, "clusterIdentifier");
                var (streamMax, streamToken) = RequestParser.ParseList(query);
                return store.ListStreams(region, streamCluster, streamMax, streamToken);
            case "GetStream":
                var (getCluster, getStream) = RequestParser.ParseStreamIds(route.Identifier!, route.StreamIdentifier!);
                return store.GetStream(region, getCluster, getStream);
            case "DeleteStream":
                return store.DeleteStream(region, RequestParser.ParseDeleteStream(route.Identifier!, route.StreamIdentifier!, query));
            case "GetVpcEndpointServiceName":
                return store.GetVpcEndpointServiceName(region, RequestParser.ParseIdentifier(route.Identifier!));
            default:
                throw Errors.UnknownOperation(route.Operation, string.Empty);
        }
    }

    /// <summary>
    /// Reads the whole body, within <c>bodyReadTimeout</c> on the emulator's clock: a body that stalls is a
    /// client fault (408 RequestTimeoutException, Inferred: the model has no shape for it) rather than a request
    /// that ties the emulator up forever.
    /// </summary>
    private async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw TooLarge(request.ContentLength.Value);
        }

        var deadline = time.GetUtcNow() + bodyReadTimeout;
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var pending = request.Body.ReadAsync(chunk, cancellationToken);
            int read;
            if (pending.IsCompleted || deadline is not { } due)
            {
                read = await pending;
            }
            else
            {
                // Only a read that has to wait gets a timer, so bodies already in memory never create one.
                var remaining = due - time.GetUtcNow();
                try
                {
                    read = await pending.AsTask().WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    throw Errors.RequestTimeout(string.Create(
                        CultureInfo.InvariantCulture,
                        $"The request body did not arrive within {bodyReadTimeout!.Value.TotalSeconds} seconds ({buffer.Length} bytes received)."));
                }
            }

            if (read == 0)
            {
                return buffer.ToArray();
            }

            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                throw TooLarge(buffer.Length);
            }
        }
    }

    private static DsqlApiException TooLarge(long size) => Errors.Validation(
        WireValidationReason.Other,
        string.Create(CultureInfo.InvariantCulture, $"The request body ({size} bytes or more) exceeds the maximum of {MaxBodyBytes} bytes (1 MiB)."));
}
