using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Polling;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record ValidateTeardownRequestInput
{
    public TeardownRequestInput? Request { get; init; }

    public DateTimeOffset? StartedAt { get; init; }
}

public sealed record ValidateTeardownRequestOutput
{
    public required TeardownRequest Request { get; init; }

    public required PollState Poll { get; init; }

    /// <summary>
    /// Null here; the check before deleting fills it in. Written from the start, like <see cref="Deletions"/>, so
    /// the failure event can always say what was checked and what was deleted, however early the teardown failed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DescribeClusterOutput? Before { get; init; }

    /// <summary>Empty here; each delete adds its outcome (<c>primary</c>, <c>peer</c>).</summary>
    public TeardownDeletions Deletions { get; init; } = new();
}

/// <summary>The deletes a teardown has done so far; a member stays absent until its delete succeeded.</summary>
public sealed record TeardownDeletions
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DeleteClusterOutput? Primary { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DeleteClusterOutput? Peer { get; init; }
}

/// <summary>The teardown machine's first state: checks the request and normalizes both references.</summary>
public sealed class ValidateTeardownRequestStep : IStep<ValidateTeardownRequestInput, ValidateTeardownRequestOutput>
{
    public const string Name = "ValidateTeardownRequest";

    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ValidateTeardownRequestStep(TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _time = time;
        _logger = logger;
    }

    public Task<ValidateTeardownRequestOutput> RunAsync(ValidateTeardownRequestInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = TeardownRequest.From(input.Request);
        var poll = PollState.Start(input.StartedAt ?? _time.GetUtcNow(), request.Polling);
        _logger.TeardownRequestValid(request.Primary, request.Peer, request.Force);
        return Task.FromResult(new ValidateTeardownRequestOutput { Request = request, Poll = poll });
    }
}
