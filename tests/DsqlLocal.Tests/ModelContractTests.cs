using System.Net;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DsqlLocal.Http;
using DsqlLocal.Tests.Support;
using DsqlLocal.Wire;

namespace DsqlLocal.Tests;

/// <summary>
/// Holds DSQL Local to botocore's service-2.json: every operation, member, type, enum and error it serves. The
/// emulator's wire records are its own (DsqlLocal.Wire), so these checks are not the client agreeing with itself.
/// </summary>
public sealed class ModelContractTests
{
    private static readonly ServiceModel Model = ServiceModel.Dsql;

    /// <summary>Each operation's output shape and the emulator's record for it.</summary>
    private static readonly Dictionary<string, Type> OutputRecords = new(StringComparer.Ordinal)
    {
        ["CreateClusterOutput"] = typeof(CreateClusterOutput),
        ["GetClusterOutput"] = typeof(GetClusterOutput),
        ["UpdateClusterOutput"] = typeof(ClusterStatusOutput),
        ["DeleteClusterOutput"] = typeof(ClusterStatusOutput),
        ["ListClustersOutput"] = typeof(ListClustersOutput),
        ["ListTagsForResourceOutput"] = typeof(ListTagsForResourceOutput),
        ["GetClusterPolicyOutput"] = typeof(GetClusterPolicyOutput),
        ["PutClusterPolicyOutput"] = typeof(PolicyVersionOutput),
        ["DeleteClusterPolicyOutput"] = typeof(PolicyVersionOutput),
        ["CreateStreamOutput"] = typeof(CreateStreamOutput),
        ["GetStreamOutput"] = typeof(GetStreamOutput),
        ["DeleteStreamOutput"] = typeof(DeleteStreamOutput),
        ["ListStreamsOutput"] = typeof(ListStreamsOutput),
        ["GetVpcEndpointServiceNameOutput"] = typeof(GetVpcEndpointServiceNameOutput),
    };

    /// <summary>Error types that exist outside the model: SigV4 failures of the AWS front end, and the stalled-body answer.</summary>
    private static readonly string[] FrontEndErrors =
    [
        "MissingAuthenticationTokenException", "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException", "RequestTimeoutException",
    ];

    [Fact]
    public void Operations_EmulatorList_IsExactlyTheModelsOperations()
    {
        Operations.All.Should().BeEquivalentTo(Model.OperationNames);
    }

    [Fact]
    public void Routes_EveryModelOperation_IsRoutedByItsMethodAndRequestUri()
    {
        foreach (var operation in Model.OperationNames)
        {
            var http = Model.Operations.GetProperty(operation).GetProperty("http");
            var path = http.GetProperty("requestUri").GetString()!
                .Replace("{identifier}", new string('a', 26), StringComparison.Ordinal)
                .Replace("{clusterIdentifier}", new string('b', 26), StringComparison.Ordinal)
                .Replace("{streamIdentifier}", new string('c', 26), StringComparison.Ordinal)
                .Replace("{resourceArn}", Uri.EscapeDataString("arn:aws:dsql:us-east-1:123456789012:cluster/" + new string('a', 26)), StringComparison.Ordinal);

            var route = Routes.Match(http.GetProperty("method").GetString()!, path);

            route.Should().NotBeNull(operation);
            route!.Operation.Should().Be(operation);
            http.GetProperty("responseCode").GetInt32().Should().Be(200, "the emulator answers every success with 200");
        }
    }

    [Fact]
    public void WireRecords_EveryOutputShape_HasAnEmulatorRecord()
    {
        var outputs = Model.OperationNames.Select(Model.OutputShape).OfType<string>().Distinct();

        OutputRecords.Keys.Should().BeEquivalentTo(outputs);
    }

    [Fact]
    public void WireRecords_MembersTypesAndRequired_MatchTheModelShapes()
    {
        var problems = new List<string>();
        foreach (var (shape, type) in OutputRecords)
        {
            CompareRecord(type, shape, problems);
        }

        CompareRecord(typeof(WireErrorBody), "ValidationException", problems, unionOfErrors: true);
        problems.Should().BeEmpty();
    }

    [Fact]
    public void WireEnums_Statuses_MatchTheModelsEnums()
    {
        WireClusterStatus.All.Should().Equal(Model.Enum("ClusterStatus"));
        Constants(typeof(WireValidationReason)).Should().BeEquivalentTo(Model.Enum("ValidationExceptionReason"));
        Model.Enum("StreamStatus").Should().Contain(Constants(typeof(WireStreamStatus)));
        Model.Enum("EncryptionStatus").Should().Contain(["ENABLED", "ENABLING", "UPDATING"]);
        Model.Enum("EncryptionType").Should().Contain(["AWS_OWNED_KMS_KEY", "CUSTOMER_MANAGED_KMS_KEY"]);
    }

    [Theory]
    [InlineData("ordering", "StreamOrdering")]
    [InlineData("format", "StreamFormat")]
    public async Task RequestEnums_EveryModelValue_AcceptedAndAnyOtherRefusedByName(string member, string shape)
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.ProvisioningTime = TimeSpan.Zero);
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;
        SignedRequest Stream(string value)
        {
            var body = new Dictionary<string, object>
            {
                ["targetDefinition"] = new { kinesis = new { streamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/s", roleArn = "arn:aws:iam::123456789012:role/r" } },
                ["ordering"] = "UNORDERED",
                ["format"] = "JSON",
            };
            body[member] = value;
            return new SignedRequest { Method = "POST", ResourcePath = "/stream/{clusterIdentifier}", PathResources = { ["{clusterIdentifier}"] = id }, Body = JsonSerializer.Serialize(body) };
        }

        foreach (var value in Model.Enum(shape))
        {
            var accepted = await dsql.SendAsync(Stream(value));
            accepted.Status.Should().Be(HttpStatusCode.OK, $"{shape} {value} is the model's: {accepted}");
        }

        var refused = await dsql.SendAsync(Stream("NOT_A_" + shape.ToUpperInvariant()));
        refused.Status.Should().Be(HttpStatusCode.BadRequest);
        refused.String("message").Should().Contain(member);
    }

    [Fact]
    public void Errors_EveryErrorFactory_UsesTheModelsStatusCode()
    {
        var produced = new[]
        {
            Errors.Validation(WireValidationReason.Other, "m"), Errors.NotFound("x"), Errors.Conflict("x", "m"),
            Errors.QuotaExceeded("x", "q", "m"), Errors.Throttling(1), Errors.Internal("m"), Errors.AccessDenied("m"),
        };

        foreach (var error in produced)
        {
            var shape = Model.Shape(error.ErrorType);
            shape.GetProperty("exception").GetBoolean().Should().BeTrue();
            ((int)error.StatusCode).Should().Be(shape.GetProperty("error").GetProperty("httpStatusCode").GetInt32(), error.ErrorType);
        }

        var modelErrors = Model.Shapes.EnumerateObject().Where(s => s.Value.TryGetProperty("exception", out _)).Select(s => s.Name);
        produced.Select(e => e.ErrorType).Should().BeEquivalentTo(modelErrors, "every error shape of the model is produced");
    }

    [Fact]
    public async Task LiveResponses_EveryOperationAndError_FitTheModel()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.SingleRegionQuota = 3);
        var exchanges = new List<(string Operation, DsqlResponse Response)>();
        async Task<DsqlResponse> Call(string operation, SignedRequest request)
        {
            var response = await dsql.SendAsync(request);
            exchanges.Add((operation, response));
            return response;
        }

        SignedRequest Req(string method, string path, string? body = null, string region = "us-east-1", params (string Key, string Value)[] resources)
        {
            var request = new SignedRequest { Method = method, ResourcePath = path, Body = body, Region = region };
            foreach (var (key, value) in resources)
            {
                request.PathResources[key] = value;
            }

            return request;
        }

        // The happy paths of all sixteen operations.
        var created = await Call("CreateCluster", Req("POST", "/cluster", """{"deletionProtectionEnabled":false,"tags":{"team":"data"},"kmsEncryptionKey":"alias/k","clientToken":"t-1"}"""));
        var id = created.String("identifier");
        var arn = created.String("arn");
        await Call("CreateCluster", Req("POST", "/cluster", "{}"));
        await Call("GetCluster", Req("GET", "/cluster/{identifier}", resources: ("{identifier}", id)));
        var page = await Call("ListClusters", new SignedRequest { ResourcePath = "/cluster", Query = [new("max-results", "1")] });
        await Call("ListClusters", new SignedRequest { ResourcePath = "/cluster", Query = [new("next-token", page.String("nextToken"))] });
        dsql.Advance(TimeSpan.FromMinutes(2));
        await Call("UpdateCluster", Req("POST", "/cluster/{identifier}", """{"deletionProtectionEnabled":false}""", resources: ("{identifier}", id)));
        await Call("TagResource", Req("POST", "/tags/{resourceArn}", """{"tags":{"env":"test"}}""", resources: ("{resourceArn}", arn)));
        await Call("ListTagsForResource", Req("GET", "/tags/{resourceArn}", resources: ("{resourceArn}", arn)));
        await Call("UntagResource", new SignedRequest { Method = "DELETE", ResourcePath = "/tags/{resourceArn}", PathResources = { ["{resourceArn}"] = arn }, Query = [new("tagKeys", "env")] });
        var policy = JsonSerializer.Serialize(new { policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"dsql:GetCluster"}]}""" });
        await Call("PutClusterPolicy", Req("POST", "/cluster/{identifier}/policy", policy, resources: ("{identifier}", id)));
        await Call("GetClusterPolicy", Req("GET", "/cluster/{identifier}/policy", resources: ("{identifier}", id)));
        await Call("DeleteClusterPolicy", Req("DELETE", "/cluster/{identifier}/policy", resources: ("{identifier}", id)));
        var stream = await Call("CreateStream", Req(
            "POST",
            "/stream/{clusterIdentifier}",
            """{"targetDefinition":{"kinesis":{"streamArn":"arn:aws:kinesis:us-east-1:123456789012:stream/s","roleArn":"arn:aws:iam::123456789012:role/r"}},"ordering":"UNORDERED","format":"JSON"}""",
            resources: ("{clusterIdentifier}", id)));
        var streamId = stream.String("streamIdentifier");
        await Call("GetStream", Req("GET", "/stream/{clusterIdentifier}/{streamIdentifier}", resources: [("{clusterIdentifier}", id), ("{streamIdentifier}", streamId)]));
        await Call("ListStreams", Req("GET", "/stream/{clusterIdentifier}", resources: ("{clusterIdentifier}", id)));
        await Call("DeleteStream", Req("DELETE", "/stream/{clusterIdentifier}/{streamIdentifier}", resources: [("{clusterIdentifier}", id), ("{streamIdentifier}", streamId)]));
        await Call("GetVpcEndpointServiceName", Req("GET", "/clusters/{identifier}/vpc-endpoint-service-name", resources: ("{identifier}", id)));

        // A multi-Region pair: PENDING_SETUP with the own ARN, then linked, then deleted.
        var first = await Call("CreateCluster", Req("POST", "/cluster", """{"multiRegionProperties":{"witnessRegion":"us-west-2"},"deletionProtectionEnabled":false}"""));
        var second = await Call("CreateCluster", Req("POST", "/cluster", $$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{first.String("arn")}}}"]},"deletionProtectionEnabled":false}""", "us-east-2"));
        await Call("UpdateCluster", Req("POST", "/cluster/{identifier}", $$$"""{"multiRegionProperties":{"clusters":["{{{second.String("arn")}}}"]}}""", resources: ("{identifier}", first.String("identifier"))));
        await Call("GetCluster", Req("GET", "/cluster/{identifier}", region: "us-east-2", resources: ("{identifier}", second.String("identifier"))));
        await Call("DeleteCluster", Req("DELETE", "/cluster/{identifier}", resources: ("{identifier}", first.String("identifier"))));

        // Every error shape, from operations whose model lists it.
        await Call("GetCluster", Req("GET", "/cluster/{identifier}", resources: ("{identifier}", new string('z', 26))));
        await Call("UpdateCluster", Req("POST", "/cluster/{identifier}", """{"deletionProtectionEnabled":true}""", resources: ("{identifier}", id)));
        await Call("CreateCluster", Req("POST", "/cluster", """{"tags":{"aws:x":"y"}}"""));
        var protectedId = (await Call("CreateCluster", Req("POST", "/cluster", "{}"))).String("identifier");
        await Call("DeleteCluster", Req("DELETE", "/cluster/{identifier}", resources: ("{identifier}", protectedId)));
        await Call("CreateCluster", Req("POST", "/cluster", "{}"));
        await Call("GetClusterPolicy", Req("GET", "/cluster/{identifier}/policy", resources: ("{identifier}", id)));
        dsql.Server.Faults = new FaultSettings
        {
            Rules =
            [
                new FaultRule { Operation = "GetCluster", ThrottleRate = 1, RetryAfterSeconds = 3 },
                new FaultRule { Operation = "ListClusters", AccessDeniedRate = 1 },
                new FaultRule { Operation = "ListStreams", InternalErrorRate = 1 },
            ],
        };
        await Call("GetCluster", Req("GET", "/cluster/{identifier}", resources: ("{identifier}", id)));
        await Call("ListClusters", Req("GET", "/cluster"));
        await Call("ListStreams", Req("GET", "/stream/{clusterIdentifier}", resources: ("{clusterIdentifier}", id)));

        var problems = exchanges.SelectMany(e => Fits(e.Operation, e.Response)).ToList();
        problems.Should().BeEmpty();
        exchanges.Select(e => e.Operation).Distinct().Should().BeEquivalentTo(Model.OperationNames, "the run exercises every operation");
        exchanges.Where(e => e.Response.Status != HttpStatusCode.OK).Select(e => e.Response.ErrorType).Distinct()
            .Should().BeEquivalentTo(Model.Shapes.EnumerateObject().Where(s => s.Value.TryGetProperty("exception", out _)).Select(s => s.Name));
    }

    internal static List<string> Fits(string operation, DsqlResponse response)
    {
        using var doc = JsonDocument.Parse(response.Body);
        if (response.Status == HttpStatusCode.OK)
        {
            return Model.OutputShape(operation) is { } output
                ? Model.Check(doc.RootElement, output, operation)
                : response.Body == "{}" ? [] : [$"{operation}: an operation without output answered {response.Body}"];
        }

        var type = response.ErrorType ?? "(none)";
        var problems = new List<string>();
        if (FrontEndErrors.Contains(type))
        {
            return problems;
        }

        if (!Model.Errors(operation).Contains(type))
        {
            problems.Add($"{operation}: {type} is not among the model's errors for it ({string.Join(", ", Model.Errors(operation))})");
            return problems;
        }

        var shape = Model.Shape(type);
        if ((int)response.Status != shape.GetProperty("error").GetProperty("httpStatusCode").GetInt32())
        {
            problems.Add($"{operation}: {type} answered {(int)response.Status}");
        }

        doc.RootElement.GetProperty("__type").GetString().Should().Be(type);
        var members = JsonDocument.Parse(JsonSerializer.Serialize(
            doc.RootElement.EnumerateObject().Where(p => p.Name != "__type").ToDictionary(p => p.Name, p => p.Value))).RootElement;
        problems.AddRange(Model.Check(members, type, $"{operation}:{type}"));
        if (shape.GetProperty("members").TryGetProperty("retryAfterSeconds", out _) && type == "ThrottlingException" && response.Header("Retry-After") is null)
        {
            problems.Add($"{operation}: ThrottlingException without the Retry-After header");
        }

        return problems;
    }

    private static void CompareRecord(Type type, string shapeName, List<string> problems, bool unionOfErrors = false)
    {
        var info = WireJson.Context.GetTypeInfo(type) ?? throw new InvalidOperationException($"{type.Name} is not in DsqlLocalJsonContext");
        var members = unionOfErrors
            ? Model.Shapes.EnumerateObject().Where(s => s.Value.TryGetProperty("exception", out _))
                .SelectMany(s => s.Value.GetProperty("members").EnumerateObject())
                .Where(m => !m.Value.TryGetProperty("location", out _))
                .GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.First().Value)
            : Model.Shape(shapeName).GetProperty("members").EnumerateObject().ToDictionary(m => m.Name, m => m.Value);
        var required = unionOfErrors || !Model.Shape(shapeName).TryGetProperty("required", out var r)
            ? []
            : r.EnumerateArray().Select(x => x.GetString()!).ToHashSet();

        foreach (var property in info.Properties)
        {
            if (unionOfErrors && property.Name == "__type")
            {
                continue;
            }

            if (!members.TryGetValue(property.Name, out var member))
            {
                problems.Add($"{type.Name}.{property.Name}: not a member of {shapeName}");
                continue;
            }

            if (!unionOfErrors && property.IsRequired != required.Contains(property.Name))
            {
                problems.Add($"{type.Name}.{property.Name}: required is {property.IsRequired} in the record, {required.Contains(property.Name)} in {shapeName}");
            }

            CompareType(property, member.GetProperty("shape").GetString()!, $"{type.Name}.{property.Name}", problems);
        }

        if (!unionOfErrors)
        {
            var missing = members.Keys.Where(m => !info.Properties.Any(p => p.Name == m));
            problems.AddRange(missing.Select(m => $"{type.Name}: the model member {shapeName}.{m} has no property"));
        }
    }

    private static void CompareType(JsonPropertyInfo property, string shapeName, string where, List<string> problems)
    {
        var clr = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var modelType = Model.Shape(shapeName).GetProperty("type").GetString();
        var fits = modelType switch
        {
            "string" => clr == typeof(string),
            "boolean" => clr == typeof(bool),
            "integer" => clr == typeof(int),
            "timestamp" => clr == typeof(DateTimeOffset),
            "list" => clr.IsGenericType && clr.GetGenericTypeDefinition() == typeof(IReadOnlyList<>),
            "map" => clr == typeof(IReadOnlyDictionary<string, string>),
            "structure" => clr.Namespace == "DsqlLocal.Wire",
            _ => false,
        };
        if (!fits)
        {
            problems.Add($"{where}: {clr.Name} does not carry the model's {modelType} {shapeName}");
            return;
        }

        if (modelType == "structure")
        {
            CompareRecord(clr, shapeName, problems);
        }
        else if (modelType == "list" && Model.Shape(shapeName).GetProperty("member").GetProperty("shape").GetString() is { } item
                 && Model.Shape(item).GetProperty("type").GetString() == "structure")
        {
            CompareRecord(clr.GetGenericArguments()[0], item, problems);
        }
    }

    private static List<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
}
