using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Polling;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record ValidateUpdateRequestInput
{
    public UpdateRequestInput? Request { get; init; }

    public DateTimeOffset? StartedAt { get; init; }
}

/// <summary>Which of the two changes the update makes, as booleans: ASL's Choice cannot ask whether an object is empty.</summary>
public sealed record UpdatePlan
{
    public required bool Tags { get; init; }

    public required bool DeletionProtection { get; init; }
}

public sealed record ValidateUpdateRequestOutput
{
    public required UpdateRequest Request { get; init; }

    public required UpdatePlan Plan { get; init; }

    public required PollState Poll { get; init; }

    /// <summary>
    /// Null here; the pair check fills it in. Written from the start, like <see cref="Updates"/>, so the failure event
    /// can always say what was checked and what was changed, however early the update failed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DescribeClusterOutput? Before { get; init; }

    /// <summary>Null here; the update of both clusters fills in one record per cluster (what changed, what did not and why).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public JsonNode? Updates { get; init; }
}

/// <summary>The update machine's first state: checks the request, normalizes both references and starts the poll clock.</summary>
public sealed class ValidateUpdateRequestStep : IStep<ValidateUpdateRequestInput, ValidateUpdateRequestOutput>
{
    public const string Name = "ValidateUpdateRequest";

    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ValidateUpdateRequestStep(TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _time = time;
        _logger = logger;
    }

    public Task<ValidateUpdateRequestOutput> RunAsync(ValidateUpdateRequestInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = UpdateRequest.From(input.Request);
        var poll = PollState.Start(input.StartedAt ?? _time.GetUtcNow(), request.Polling);
        var plan = new UpdatePlan { Tags = request.Tags.Count > 0 || request.UntagKeys.Count > 0, DeletionProtection = request.DeletionProtection is not null };
        _logger.UpdateRequestValid(request.Primary, request.Peer, request.DeletionProtection, request.Tags.Count, request.UntagKeys.Count);
        return Task.FromResult(new ValidateUpdateRequestOutput { Request = request, Plan = plan, Poll = poll });
    }
}
