using System.Globalization;
using DsqlLocal.Auth;
using DsqlLocal.Faults;
using DsqlLocal.Iam;
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
    UnknownRegionBehavior unknownRegion,
    IamAuthorizer iam)
{
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Set in <see cref="HttpContext.Items"/> when the request was dropped for a Region without an endpoint.</summary>
    public const string UnreachableItem = "DsqlLocal.Unreachable";

    /// <summary>
    /// TestServer hands the application an already-decoded path and no raw target, so the in-process
    /// handler forwards the request target as sent in this header. It is honoured only in-process.
    /// </summary>
    public const string InProcessRawTargetHeader = "X-DsqlLocal-Raw-Target";

    /// <summary>
    /// Set in <see cref="HttpContext.Items"/> by the inline handler: the caller is in-process code that signs with the
    /// emulator's own clock, so its signature date is checked against that clock rather than
    /// <see cref="DsqlLocalOptions.SignatureClock"/> (which is for socket clients on the wall clock).
    /// </summary>
    public const string InlineItem = "DsqlLocal.Inline";

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
            var caller = verifier.Verify(request.Method, rawPath, rawQuery, request.Headers, body, context.Items.ContainsKey(InlineItem) ? time : null);
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
            var json = Dispatch(route, region, caller.AccessKeyId, body, RawQuery.Parse(rawQuery), creationFails);
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

    /// <summary>
    /// Parses the request, asks IAM (when enforced) about every action the call needs, then runs it: a denied call
    /// changes nothing.
    /// </summary>
    private string Dispatch(RouteMatch route, string region, string accessKeyId, byte[] body, RawQuery query, bool creationFails)
    {
        void Authorize(RequiredActions.Call call) => iam.Authorize(accessKeyId, call);
        var operation = route.Operation;
        switch (operation)
        {
            case "CreateCluster":
                var create = RequestParser.ParseCreate(body);
                Authorize(new(operation, region, MultiRegion: create.MultiRegion, Tags: create.Tags, WithPolicy: create.Policy is not null));
                iam.CheckResourcePolicy(create.Policy);
                return store.Create(region, create, creationFails);
            case "ListClusters":
                var (maxResults, nextToken) = RequestParser.ParseList(query);
                Authorize(new(operation, region));
                return store.List(region, maxResults, nextToken);
            case "GetCluster":
                var getId = RequestParser.ParseIdentifier(route.Identifier!);
                Authorize(new(operation, region, getId));
                return store.Get(region, getId);
            case "UpdateCluster":
                var update = RequestParser.ParseUpdate(route.Identifier!, body);
                Authorize(new(operation, region, update.Identifier, MultiRegion: update.MultiRegion));
                return store.Update(region, update);
            case "DeleteCluster":
                var delete = RequestParser.ParseDelete(route.Identifier!, query);
                Authorize(new(operation, region, delete.Identifier));
                return store.Delete(region, delete);
            case "TagResource":
                var arn = RequestParser.ParseResourceArn(route.ResourceArn!);
                var tags = RequestParser.ParseTagResource(body);
                Authorize(new(operation, region, ResourceArn: arn, Tags: tags));
                store.Tag(region, arn, tags);
                return "{}";
            case "UntagResource":
                var untagArn = RequestParser.ParseResourceArn(route.ResourceArn!);
                var keys = RequestParser.ParseUntagKeys(query);
                Authorize(new(operation, region, ResourceArn: untagArn, TagKeys: keys));
                store.Untag(region, untagArn, keys);
                return "{}";
            case "ListTagsForResource":
                var listArn = RequestParser.ParseResourceArn(route.ResourceArn!);
                Authorize(new(operation, region, ResourceArn: listArn));
                return store.ListTags(region, listArn);
            case "PutClusterPolicy":
                var put = RequestParser.ParsePutPolicy(route.Identifier!, body);
                Authorize(new(operation, region, put.Identifier));
                iam.CheckResourcePolicy(put.Policy);
                return store.PutPolicy(region, put);
            case "GetClusterPolicy":
                var policyId = RequestParser.ParseIdentifier(route.Identifier!);
                Authorize(new(operation, region, policyId));
                return store.GetPolicy(region, policyId);
            case "DeleteClusterPolicy":
                var deletePolicy = RequestParser.ParseDeletePolicy(route.Identifier!, query);
                Authorize(new(operation, region, deletePolicy.Identifier));
                return store.DeletePolicy(region, deletePolicy);
            case "CreateStream":
                var stream = RequestParser.ParseCreateStream(route.Identifier!, body);
                Authorize(new(operation, region, stream.ClusterIdentifier));
                return store.CreateStream(region, stream);
            case "ListStreams":
                var streamCluster = RequestParser.ParseClusterIdentifier(route.Identifier!, "clusterIdentifier");
                var (streamMax, streamToken) = RequestParser.ParseList(query);
                Authorize(new(operation, region, streamCluster));
                return store.ListStreams(region, streamCluster, streamMax, streamToken);
            case "GetStream":
                var (getCluster, getStream) = RequestParser.ParseStreamIds(route.Identifier!, route.StreamIdentifier!);
                Authorize(new(operation, region, getCluster));
                return store.GetStream(region, getCluster, getStream);
            case "DeleteStream":
                var deleteStream = RequestParser.ParseDeleteStream(route.Identifier!, route.StreamIdentifier!, query);
                Authorize(new(operation, region, deleteStream.ClusterIdentifier));
                return store.DeleteStream(region, deleteStream);
            case "GetVpcEndpointServiceName":
                var vpcId = RequestParser.ParseIdentifier(route.Identifier!);
                Authorize(new(operation, region, vpcId));
                return store.GetVpcEndpointServiceName(region, vpcId);
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
