using System.Text.Json.Nodes;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>The awsJson envelope: signatures, targets and the error shape.</summary>
public sealed class ProtocolTests : IAsyncLifetime
{
    private HostHarness _h = null!;

    public async Task InitializeAsync() => _h = await HostHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Request_Unsigned_403MissingAuthenticationToken()
    {
        var (status, body) = await _h.SendAsync("ListStateMachines", [], sign: false);

        status.Should().Be(403);
        body["__type"]!.GetValue<string>().Should().Be("MissingAuthenticationTokenException");
    }

    [Fact]
    public async Task Request_WrongSecret_403SignatureDoesNotMatch()
    {
        var (status, body) = await _h.SendAsync("ListStateMachines", [], secret: "wrong");

        status.Should().Be(403);
        body["message"]!.GetValue<string>().Should().Contain("signature");
    }

    [Fact]
    public async Task Request_UnknownOperation_400UnknownOperationException()
    {
        var (status, body) = await _h.SendAsync("FlyToTheMoon", []);

        status.Should().Be(400);
        body["__type"]!.GetValue<string>().Should().Be("UnknownOperationException");
    }

    [Fact]
    public async Task Request_MemberOfTheWrongType_400SerializationException()
    {
        var (status, body) = await _h.SendAsync("CreateStateMachine", new JsonObject { ["name"] = 5, ["definition"] = Definitions.PassOnly, ["roleArn"] = HostHarness.RoleArn });

        status.Should().Be(400);
        body["__type"]!.GetValue<string>().Should().Be("SerializationException");
        body["message"]!.GetValue<string>().Should().Contain("'name'");
    }

    [Fact]
    public async Task Request_TagValueNotAString_400SerializationException()
    {
        var arn = await _h.CreateMachineAsync("typed", Definitions.PassOnly);

        var (status, body) = await _h.SendAsync("TagResource", new JsonObject { ["resourceArn"] = arn, ["tags"] = new JsonArray(new JsonObject { ["key"] = "k", ["value"] = 3 }) });

        status.Should().Be(400);
        body["__type"]!.GetValue<string>().Should().Be("SerializationException");
    }

    [Fact]
    public void EndpointLines_OneService_StepFunctionsLine()
    {
        _h.Host.EndpointLines.Should().Equal($"Step Functions: http://127.0.0.1:{_h.Endpoint.Port}");
    }
}
