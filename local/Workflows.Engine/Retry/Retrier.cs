using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;

namespace Workflows.Engine.Retry;

public enum JitterStrategy
{
    None,
    Full,
}

/// <summary>One element of a Retry field.</summary>
public sealed class Retrier
{
    private static readonly string[] Fields = ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"];

    public required IReadOnlyList<string> ErrorEquals { get; init; }

    public int IntervalSeconds { get; init; } = 1;

    public int MaxAttempts { get; init; } = 3;

    public decimal BackoffRate { get; init; } = 2.0m;

    public int? MaxDelaySeconds { get; init; }

    public JitterStrategy Jitter { get; init; } = JitterStrategy.None;

    public bool Matches(StatesException error) => ErrorMatcher.Matches(ErrorEquals, error);

    /// <summary>
    /// The wait before retry number <paramref name="attempt"/> (0-based) of this retrier:
    /// min(IntervalSeconds × BackoffRate^attempt, MaxDelaySeconds), then FULL jitter draws uniformly in [0, delay].
    /// </summary>
    public TimeSpan DelayFor(int attempt, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var seconds = IntervalSeconds * Math.Pow((double)BackoffRate, attempt);
        if (MaxDelaySeconds is { } max)
        {
            seconds = Math.Min(seconds, max);
        }

        if (Jitter == JitterStrategy.Full)
        {
#pragma warning disable CA5394 // Backoff jitter, not security: reproducible from the engine's seed.
            seconds *= random.NextDouble();
#pragma warning restore CA5394
        }

        return TimeSpan.FromMilliseconds(Math.Round(seconds * 1000));
    }

    internal static List<Retrier> Load(JsonArray? array, DefinitionReader reader)
    {
        var list = new List<Retrier>();
        if (array is null)
        {
            return list;
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject o)
            {
                reader.Problem("Retry", "each retrier must be an object");
                continue;
            }

            reader.CheckFields(o, Fields);
            var errors = ReadErrorEquals(o, reader, "Retry", i == array.Count - 1);
            var jitter = reader.String(o, "JitterStrategy");
            if (jitter is not (null or "FULL" or "NONE"))
            {
                reader.Problem("Retry.JitterStrategy", "must be FULL or NONE");
            }

            var backoff = reader.Number(o, "BackoffRate", 1.0m);
            var maxDelay = reader.Integer(o, "MaxDelaySeconds", 1);
            list.Add(new Retrier
            {
                ErrorEquals = errors,
                IntervalSeconds = reader.Integer(o, "IntervalSeconds", 1) ?? 1,
                MaxAttempts = reader.Integer(o, "MaxAttempts", 0) ?? 3,
                BackoffRate = backoff ?? 2.0m,
                MaxDelaySeconds = maxDelay,
                Jitter = jitter == "FULL" ? JitterStrategy.Full : JitterStrategy.None,
            });
        }

        return list;
    }

    internal static List<string> ReadErrorEquals(JsonObject o, DefinitionReader reader, string field, bool isLast)
    {
        var names = new List<string>();
        var array = reader.Array(o, "ErrorEquals", required: true);
        if (array is null)
        {
            return names;
        }

        if (array.Count == 0)
        {
            reader.Problem($"{field}.ErrorEquals", "must name at least one error");
        }

        foreach (var n in array)
        {
            if (n is JsonValue v && v.TryGetValue<string>(out var s))
            {
                names.Add(s);
            }
            else
            {
                reader.Problem($"{field}.ErrorEquals", "must contain only strings");
            }
        }

        if (ErrorMatcher.CheckAllPlacement(names, isLast) is { } problem)
        {
            reader.Problem($"{field}.ErrorEquals", problem);
        }

        return names;
    }
}
