using DsqlLocal.Http;

namespace DsqlLocal.Faults;

/// <summary>
/// Decides, before a request touches any state, whether it fails or is delayed. Because the decision comes
/// first, a faulted request never has an effect.
/// </summary>
internal sealed class FaultInjector
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _serverStart;
    private readonly Random _random;
    private readonly object _randomGate = new();
    private FaultSettings _settings;

    public FaultInjector(FaultSettings settings, int? seed, TimeProvider time)
    {
        _settings = Checked(settings);
        _time = time;
        _serverStart = time.GetUtcNow();

        // Offset from the identifier RNG's seed so fault draws do not mirror identifier characters.
        _random = seed is { } s ? new Random(unchecked(s * 31 + 17)) : new Random();
    }

    public FaultSettings Settings
    {
        get => Volatile.Read(ref _settings);
        set => Volatile.Write(ref _settings, Checked(value ?? FaultSettings.None));
    }

    /// <summary>The settings if valid; an <see cref="ArgumentException"/> naming the bad field otherwise.</summary>
    public static FaultSettings Checked(FaultSettings settings)
    {
        try
        {
            FaultValidation.Validate(settings);
            return settings;
        }
        catch (FormatException ex)
        {
            throw new ArgumentException("Invalid fault settings: " + ex.Message, nameof(settings), ex);
        }
    }

    /// <returns>True when a CreateCluster is to create a cluster whose creation fails (see <see cref="FaultRule.CreateFailureRate"/>).</returns>
    public async Task<bool> ApplyAsync(string operation, string region, string accessKeyId, CancellationToken cancellationToken)
    {
        var settings = Settings;
        var outage = settings.Outages.FirstOrDefault(o => o.IsOpen(region, _time.GetUtcNow(), _serverStart));
        if (outage is not null)
        {
            throw Errors.Internal($"Region {region} is unavailable (injected outage).");
        }

        var rules = settings.Rules.Where(r => r.Matches(operation, region)).ToList();
        var latency = rules.Count == 0 ? 0 : rules.Max(r => r.LatencyMs);
        if (latency > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(latency), _time, cancellationToken);
        }

        foreach (var rule in rules)
        {
            // Authorisation is decided before the request is counted against any rate limit.
            if (Draw(rule.AccessDeniedRate))
            {
                throw Errors.AccessDenied(
                    $"User with access key {accessKeyId} is not authorized to perform: dsql:{operation} in {region} (injected access denial).");
            }

            if (Draw(rule.ThrottleRate))
            {
                throw Errors.Throttling(rule.RetryAfterSeconds);
            }

            if (Draw(rule.InternalErrorRate))
            {
                throw Errors.Internal("We encountered an internal error. Please try again. (injected fault)");
            }
        }

        // Drawn last, and only for a request that is answered: a failed creation is still a created cluster.
        return operation == "CreateCluster" && rules.Any(rule => Draw(rule.CreateFailureRate));
    }

    private bool Draw(double rate)
    {
        if (rate <= 0)
        {
            return false;
        }

        lock (_randomGate)
        {
            return _random.NextDouble() < rate;
        }
    }
}
