using System.Globalization;
using DsqlLocal.Model;

namespace DsqlLocal.Faults;

/// <summary>
/// The one check of fault settings, whatever their source: --fault/--outage, the config file, PUT
/// /_dsql-local/faults, or <see cref="DsqlLocalOptions.Faults"/>/<see cref="DsqlLocalServer.Faults"/> in code.
/// A rule that can never match (a misspelt operation, an upper-case Region) or a window that can never open
/// is an error naming the field, never silently accepted.
/// </summary>
internal static class FaultValidation
{
    /// <summary>The operations the emulator serves; rules name one of them (case-insensitively) or "*".</summary>
    public static readonly IReadOnlyList<string> Operations = Http.Operations.All;

    /// <exception cref="FormatException">A rule or window is invalid; the message names it, e.g. "rules[0].region".</exception>
    public static void Validate(FaultSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Rules is null || settings.Outages is null)
        {
            throw new FormatException("'rules' and 'outages' must be lists, not null.");
        }

        for (var i = 0; i < settings.Rules.Count; i++)
        {
            ValidateRule(settings.Rules[i], string.Create(CultureInfo.InvariantCulture, $"rules[{i}]"));
        }

        for (var i = 0; i < settings.Outages.Count; i++)
        {
            ValidateOutage(settings.Outages[i], string.Create(CultureInfo.InvariantCulture, $"outages[{i}]"));
        }
    }

    /// <param name="where">The rule's name in messages ("rules[2]"), or empty for a lone rule (--fault).</param>
    public static void ValidateRule(FaultRule rule, string where)
    {
        if (rule is null)
        {
            throw Bad(where, "rule", "must be an object, not null");
        }

        if (rule.Operation != "*" && !Operations.Contains(rule.Operation, StringComparer.OrdinalIgnoreCase))
        {
            throw Bad(where, "operation", $"'{rule.Operation}' must be \"*\" or one of {string.Join(", ", Operations)}");
        }

        ValidateRegion(rule.Region, where);
        ValidateRate(rule.ThrottleRate, where, "throttleRate");
        ValidateRate(rule.InternalErrorRate, where, "internalErrorRate");
        ValidateRate(rule.AccessDeniedRate, where, "accessDeniedRate");
        ValidateRate(rule.CreateFailureRate, where, "createFailureRate");
        if (rule.RetryAfterSeconds < 0)
        {
            throw Bad(where, "retryAfterSeconds", $"{Number(rule.RetryAfterSeconds)} must not be negative");
        }

        if (rule.LatencyMs < 0)
        {
            throw Bad(where, "latencyMs", $"{Number(rule.LatencyMs)} must not be negative");
        }
    }

    /// <param name="where">The window's name in messages ("outages[0]"), or empty for a lone window (--outage).</param>
    public static void ValidateOutage(OutageWindow outage, string where)
    {
        if (outage is null)
        {
            throw Bad(where, "outage", "must be an object, not null");
        }

        ValidateRegion(outage.Region, where);

        // Only comparable when both are of the same kind; a relative and an absolute time depend on the start.
        if (outage.Start is { } start && outage.End is { } end)
        {
            if (start.At is { } startAt && end.At is { } endAt && endAt <= startAt)
            {
                throw Bad(
                    where,
                    "end",
                    $"{endAt.ToString("O", CultureInfo.InvariantCulture)} must be after start {startAt.ToString("O", CultureInfo.InvariantCulture)}");
            }

            if (start.AfterStart is { } startAfter && end.AfterStart is { } endAfter && endAfter <= startAfter)
            {
                throw Bad(
                    where,
                    "end",
                    $"{Number(endAfter.TotalSeconds)} s after server start must be after start ({Number(startAfter.TotalSeconds)} s)");
            }
        }
    }

    private static void ValidateRegion(string region, string where)
    {
        if (region != "*" && (region is null || !Constraints.IsRegionName(region)))
        {
            throw Bad(where, "region", $"'{region}' must be \"*\" or a Region name such as us-east-1 ({Constraints.RegionNamePattern})");
        }
    }

    private static void ValidateRate(double rate, string where, string field)
    {
        if (rate is not (>= 0 and <= 1))
        {
            throw Bad(where, field, $"{Number(rate)} must be between 0 and 1");
        }
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static FormatException Bad(string where, string field, string problem) =>
        new($"{(where.Length == 0 ? field : where + "." + field)}: {problem}.");
}
