using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;
using Workflows.Core.Polling;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

public sealed record ValidateProvisionRequestInput
{
    public ProvisionRequestInput? Request { get; init; }

    /// <summary><c>$$.Execution.StartTime</c>: the poll deadline counts from here. Defaults to now.</summary>
    public DateTimeOffset? StartedAt { get; init; }
}

public sealed record ValidateProvisionRequestOutput
{
    public required ProvisionRequest Request { get; init; }

    public required PollState Poll { get; init; }
}

/// <summary>The provision machine's first state: checks the request, fills the defaults, starts the poll clock.</summary>
public sealed class ValidateProvisionRequestStep : IStep<ValidateProvisionRequestInput, ValidateProvisionRequestOutput>
{
    public const string Name = "ValidateProvisionRequest";

    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ValidateProvisionRequestStep(TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _time = time;
        _logger = logger;
    }

    public Task<ValidateProvisionRequestOutput> RunAsync(ValidateProvisionRequestInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = ProvisionRequest.From(input.Request);
        var poll = PollState.Start(input.StartedAt ?? _time.GetUtcNow(), request.Polling);
        _logger.ProvisionRequestValid(request.PrimaryRegion, request.PeerRegion, request.WitnessRegion, request.Tags.Count);
        return Task.FromResult(new ValidateProvisionRequestOutput { Request = request, Poll = poll });
    }
}
