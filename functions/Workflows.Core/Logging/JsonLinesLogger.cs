using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Workflows.Core.Hosting;

namespace Workflows.Core.Logging;

internal sealed partial class JsonLinesLogger(string category, JsonLinesLoggerProvider provider) : ILogger
{
    private const string OriginalFormat = "{OriginalFormat}";
    private const string Redacted = "[redacted]";

    // Written first and in this order; everything else follows in the order it was seen.
    private static readonly string[] ContextKeys =
    [
        LogKeys.ColdStart, LogKeys.FunctionName, LogKeys.FunctionMemorySize, LogKeys.FunctionArn, LogKeys.FunctionRequestId, LogKeys.XRayTraceId,
        LogKeys.Execution, LogKeys.Step, LogKeys.Region, LogKeys.ClusterId,
    ];

    private static readonly HashSet<string> Reserved = new(
        [LogKeys.Level, LogKeys.Message, LogKeys.Timestamp, LogKeys.Service, LogKeys.Exception, LogKeys.Category, .. ContextKeys],
        StringComparer.Ordinal);

    [GeneratedRegex("token|secret|password|passwd|credential|authorization|signature|accesskey|apikey", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Sensitive();

    [GeneratedRegex("\\{\\{|\\}\\}|\\{(?<name>[^{}:,]+)(?<align>,[^{}:]*)?(?<format>:[^{}]*)?\\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => provider.Scopes.Push(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.Options.MinimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        var order = new List<string>();
        provider.Scopes.ForEachScope((scope, _) => Collect(scope, fields, order), (object?)null);
        var stateValues = state as IEnumerable<KeyValuePair<string, object?>>;
        if (stateValues is not null)
        {
            Collect(stateValues.Where(kv => kv.Key != OriginalFormat).Select(kv => KeyValuePair.Create(SnakeCase(kv.Key), kv.Value)), fields, order);
        }

        var message = Render(state, stateValues, exception, formatter);
        provider.Write(Line(logLevel, message, fields, order, exception));
    }

    private string Line(LogLevel level, string message, Dictionary<string, object?> fields, List<string> order, Exception? exception)
    {
        var options = provider.Options;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(LogKeys.Level, LevelName(level));
            json.WriteString(LogKeys.Message, message);
            json.WriteString(LogKeys.Timestamp, provider.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString(LogKeys.Service, options.Service);
            json.WriteBoolean(LogKeys.ColdStart, fields.TryGetValue(LogKeys.ColdStart, out var cold) && cold is true);
            if (options.FunctionName is { } name)
            {
                json.WriteString(LogKeys.FunctionName, name);
            }

            if (options.FunctionMemorySize is { } memory)
            {
                json.WriteNumber(LogKeys.FunctionMemorySize, memory);
            }

            foreach (var key in ContextKeys.Skip(3))
            {
                if (fields.TryGetValue(key, out var value) && value is not null)
                {
                    WriteValue(json, key, value);
                }
            }

            foreach (var key in order.Where(k => !Reserved.Contains(k)))
            {
                WriteValue(json, key, fields[key]);
            }

            json.WriteString(LogKeys.Category, category);
            if (exception is not null)
            {
                json.WriteStartObject(LogKeys.Exception);
                json.WriteString("type", exception.GetType().Name);
                json.WriteString("message", exception.Message);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// Lambda's own level words: with LogFormat JSON, Lambda filters a line by ApplicationLogLevel only when its
    /// <c>level</c> is one of TRACE, DEBUG, INFO, WARN, ERROR or FATAL (anything else counts as INFO).
    /// </summary>
    internal static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "FATAL",
        _ => "INFO",
    };

    private static void Collect(object? scope, Dictionary<string, object?> fields, List<string> order)
    {
        if (scope is not IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            return;
        }

        foreach (var (key, value) in pairs)
        {
            if (key == OriginalFormat)
            {
                continue;
            }

            if (!fields.ContainsKey(key))
            {
                order.Add(key);
            }

            // Inner scopes and the message's own values win over outer ones.
            fields[key] = Sensitive().IsMatch(key) ? Redacted : value;
        }
    }

    private static string Render<TState>(TState state, IEnumerable<KeyValuePair<string, object?>>? values, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var pairs = values?.ToList();
        var template = pairs?.FirstOrDefault(kv => kv.Key == OriginalFormat).Value as string;
        if (template is null || pairs is null || pairs.All(kv => kv.Key == OriginalFormat || !Sensitive().IsMatch(kv.Key)))
        {
            return formatter(state, exception);
        }

        // The formatter would print the secret into the message: render it ourselves, redacted.
        var queue = new Queue<KeyValuePair<string, object?>>(pairs.Where(kv => kv.Key != OriginalFormat));
        return Placeholder().Replace(template, m =>
        {
            if (m.Value is "{{" or "}}")
            {
                return m.Value[..1];
            }

            if (!queue.TryDequeue(out var kv))
            {
                return m.Value;
            }

            return Sensitive().IsMatch(kv.Key) ? Redacted : Convert.ToString(kv.Value, CultureInfo.InvariantCulture) ?? "(null)";
        });
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case string s:
                json.WriteString(key, s);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int i:
                json.WriteNumber(key, i);
                break;
            case long l:
                json.WriteNumber(key, l);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumber(key, d);
                break;
            case decimal m:
                json.WriteNumber(key, m);
                break;
            case DateTimeOffset t:
                json.WriteString(key, Rfc3339Converter.ToText(t));
                break;
            default:
                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    // "PeerArn" → "peer_arn", so the message's values read like the Powertools keys around them.
    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
                {
                    text.Append('_');
                }

                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }
}
