using System.Text.Json;

namespace DsqlLocal.Tests.RealClients;

/// <summary>
/// boto3 and the AWS CLI (Debian's packages, botocore's DSQL model) against DSQL Local on a real port: the
/// seed's flows (a pair, waiters, get, update, delete, pagination, tagging, error cases) through clients nobody
/// here wrote. Each test uses Regions of its own.
/// </summary>
public sealed class RealClientTests(RealClientFixture clients) : IClassFixture<RealClientFixture>
{
    [SkippableFact]
    public async Task Boto3_SeedFlows_PassAgainstDsqlLocal()
    {
        Skip.If(clients.SkipReason is not null, clients.SkipReason);
        var script = Path.Combine(AppContext.BaseDirectory, "RealClients", "boto3_flow.py");

        var (code, stdout, stderr) = await clients.RunAsync(RealClientFixture.Python, script, clients.Endpoint);

        code.Should().Be(0, $"stdout:\n{stdout}\nstderr:\n{stderr}");
        stdout.Should().Contain("all checks passed");
    }

    [SkippableFact]
    public async Task AwsCli_PairLifecycle_CreateLinkWaitGetUpdateDelete()
    {
        Skip.If(clients.SkipReason is not null, clients.SkipReason);

        var a = await JsonAsync("create-cluster", "--region", "eu-west-2", "--no-deletion-protection-enabled",
            "--multi-region-properties", """{"witnessRegion":"eu-central-1"}""", "--tags", "Name=orders");
        a.GetProperty("status").GetString().Should().Be("PENDING_SETUP");
        Arns(a).Should().Equal(a.GetProperty("arn").GetString());
        var b = await JsonAsync("create-cluster", "--region", "eu-west-3", "--no-deletion-protection-enabled",
            "--multi-region-properties", $$"""{"witnessRegion":"eu-central-1","clusters":["{{a.GetProperty("arn").GetString()}}"]}""");
        var aId = a.GetProperty("identifier").GetString()!;
        var bId = b.GetProperty("identifier").GetString()!;

        var link = await JsonAsync("update-cluster", "--region", "eu-west-2", "--identifier", aId,
            "--multi-region-properties", $$"""{"witnessRegion":"eu-central-1","clusters":["{{b.GetProperty("arn").GetString()}}"]}""");
        link.GetProperty("status").GetString().Should().Be("UPDATING");
        await OkAsync("wait", "cluster-active", "--region", "eu-west-2", "--identifier", aId);
        await OkAsync("wait", "cluster-active", "--region", "eu-west-3", "--identifier", bId);
        var got = await JsonAsync("get-cluster", "--region", "eu-west-3", "--identifier", bId);
        got.GetProperty("status").GetString().Should().Be("ACTIVE");
        Arns(got).Should().BeEquivalentTo([a.GetProperty("arn").GetString(), b.GetProperty("arn").GetString()]);

        (await JsonAsync("update-cluster", "--region", "eu-west-2", "--identifier", aId, "--deletion-protection-enabled"))
            .GetProperty("status").GetString().Should().Be("UPDATING");
        (await JsonAsync("get-cluster", "--region", "eu-west-2", "--identifier", aId)).GetProperty("deletionProtectionEnabled").GetBoolean().Should().BeTrue();
        await OkAsync("update-cluster", "--region", "eu-west-2", "--identifier", aId, "--no-deletion-protection-enabled");

        (await JsonAsync("delete-cluster", "--region", "eu-west-2", "--identifier", aId)).GetProperty("status").GetString().Should().Be("PENDING_DELETE");
        (await JsonAsync("delete-cluster", "--region", "eu-west-3", "--identifier", bId)).GetProperty("status").GetString().Should().Be("DELETING");
        await OkAsync("wait", "cluster-not-exists", "--region", "eu-west-2", "--identifier", aId);
        await OkAsync("wait", "cluster-not-exists", "--region", "eu-west-3", "--identifier", bId);
    }

    [SkippableFact]
    public async Task AwsCli_ListClustersAndTags_PaginatesAndTags()
    {
        Skip.If(clients.SkipReason is not null, clients.SkipReason);
        const string region = "ap-northeast-1";
        var made = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            made.Add((await JsonAsync("create-cluster", "--region", region, "--no-deletion-protection-enabled")).GetProperty("identifier").GetString()!);
        }

        // --page-size makes the CLI fetch pages of 2 and follow nextToken; --max-items 2 cuts after two and hands back a token.
        var all = await JsonAsync("list-clusters", "--region", region, "--page-size", "2");
        var firstTwo = await JsonAsync("list-clusters", "--region", region, "--max-items", "2");
        var rest = await JsonAsync("list-clusters", "--region", region, "--max-items", "2", "--starting-token", firstTwo.GetProperty("NextToken").GetString()!);

        Identifiers(all).Should().BeEquivalentTo(made);
        Identifiers(firstTwo).Concat(Identifiers(rest)).Should().BeEquivalentTo(made);

        var arn = $"arn:aws:dsql:{region}:123456789012:cluster/{made[0]}";
        await OkAsync("tag-resource", "--region", region, "--resource-arn", arn, "--tags", "team=data,env=test");
        await OkAsync("untag-resource", "--region", region, "--resource-arn", arn, "--tag-keys", "env");
        var tags = await JsonAsync("list-tags-for-resource", "--region", region, "--resource-arn", arn);
        tags.GetProperty("tags").EnumerateObject().Select(t => $"{t.Name}={t.Value.GetString()}").Should().Equal("team=data");

        foreach (var id in made)
        {
            await OkAsync("delete-cluster", "--region", region, "--identifier", id);
        }
    }

    [SkippableFact]
    public async Task AwsCli_ErrorCases_ExitWithTheServiceErrors()
    {
        Skip.If(clients.SkipReason is not null, clients.SkipReason);
        const string region = "ap-northeast-2";

        var missing = await CliAsync("get-cluster", "--region", region, "--identifier", new string('a', 26));
        var witness = await CliAsync("create-cluster", "--region", region, "--multi-region-properties", $$"""{"witnessRegion":"{{region}}"}""");
        var protectedId = (await JsonAsync("create-cluster", "--region", region)).GetProperty("identifier").GetString()!;
        var protectedDelete = await CliAsync("delete-cluster", "--region", region, "--identifier", protectedId);
        var awsTag = await CliAsync("tag-resource", "--region", region, "--resource-arn", $"arn:aws:dsql:{region}:123456789012:cluster/{protectedId}", "--tags", "aws:x=y");
        var unknownRegion = await CliAsync("list-clusters", "--region", "xx-nowhere-1", "--cli-read-timeout", "5", "--cli-connect-timeout", "5");

        missing.ExitCode.Should().Be(254);
        missing.Stderr.Should().Contain("ResourceNotFoundException");
        witness.Stderr.Should().Contain("ValidationException").And.Contain("witness");
        protectedDelete.Stderr.Should().Contain("ValidationException").And.Contain("deletion protection");
        awsTag.Stderr.Should().Contain("ValidationException").And.Contain("aws:");
        unknownRegion.ExitCode.Should().NotBe(0);
        unknownRegion.Stderr.Should().NotContain("ValidationException", "a Region without the service has no endpoint to answer");

        await OkAsync("update-cluster", "--region", region, "--identifier", protectedId, "--no-deletion-protection-enabled");
        await OkAsync("delete-cluster", "--region", region, "--identifier", protectedId);
    }

    private static IEnumerable<string?> Arns(JsonElement cluster) =>
        cluster.GetProperty("multiRegionProperties").GetProperty("clusters").EnumerateArray().Select(e => e.GetString());

    private static IEnumerable<string?> Identifiers(JsonElement list) =>
        list.GetProperty("clusters").EnumerateArray().Select(c => c.GetProperty("identifier").GetString());

    private Task<(int ExitCode, string Stdout, string Stderr)> CliAsync(params string[] arguments) =>
        clients.RunAsync(RealClientFixture.AwsCli, ["dsql", .. arguments, "--endpoint-url", clients.Endpoint, "--output", "json"]);

    private async Task OkAsync(params string[] arguments)
    {
        var (code, stdout, stderr) = await CliAsync(arguments);
        code.Should().Be(0, $"aws dsql {string.Join(' ', arguments)}\nstdout:\n{stdout}\nstderr:\n{stderr}");
    }

    private async Task<JsonElement> JsonAsync(params string[] arguments)
    {
        var (code, stdout, stderr) = await CliAsync(arguments);
        code.Should().Be(0, $"aws dsql {string.Join(' ', arguments)}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }
}
