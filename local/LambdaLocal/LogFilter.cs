using System.Globalization;
using System.Text.Json;

namespace Workflows.LambdaLocal;

/// <summary>
/// Lambda's application log-level filtering for runtimes it does not instrument (docs: monitoring-cloudwatchlogs-log-level,
/// "Log-level filtering"): with the JSON log format, a line that is a JSON object with a "level" and an RFC 3339
/// "timestamp" has that level; a missing or invalid level (or timestamp) makes it INFO. With the Text format nothing
/// is filtered.
/// </summary>
internal static class LogFilter
{
    public static LambdaLogLevel LevelOf(string line)
    {
        var trimmed = line.AsSpan().Trim();
        if (trimmed.Length < 2 || trimmed[0] != '{')
        {
            return LambdaLogLevel.Info;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("level", out var level) || level.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("timestamp", out var ts) || ts.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(ts.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
            {
                return LambdaLogLevel.Info;
            }

            return level.GetString()!.ToUpperInvariant() switch
            {
                "TRACE" => LambdaLogLevel.Trace,
                "DEBUG" => LambdaLogLevel.Debug,
                "WARN" => LambdaLogLevel.Warn,
                "ERROR" => LambdaLogLevel.Error,
                "FATAL" => LambdaLogLevel.Fatal,
                _ => LambdaLogLevel.Info,
            };
        }
        catch (JsonException)
        {
            return LambdaLogLevel.Info;
        }
    }

    public static bool Keeps(LambdaFunction function, LambdaLogLevel level, bool platform) =>
        function.LogFormat == LambdaLogFormat.Text
        || level >= (platform ? function.SystemLogLevel : function.ApplicationLogLevel);
}
