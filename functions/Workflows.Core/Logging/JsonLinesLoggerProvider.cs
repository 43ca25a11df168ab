using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Workflows.Core.Logging;

/// <summary>
/// One JSON object per line on a TextWriter (stdout in Lambda, where each line becomes a CloudWatch event),
/// with the keys Powertools for AWS Lambda uses, so the same Logs Insights queries work once the real
/// Powertools logger replaces this one. Scopes carry execution, step, Region and cluster; values whose
/// names look like secrets are never written.
/// </summary>
public sealed class JsonLinesLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentDictionary<string, JsonLinesLogger> _loggers = new(StringComparer.Ordinal);
    private readonly TextWriter _output;
    private readonly Lock _gate = new();

    public JsonLinesLoggerProvider(TextWriter output, JsonLinesLoggerOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _output = output;
        Options = options;
        Time = time;
    }

    internal JsonLinesLoggerOptions Options { get; }

    internal TimeProvider Time { get; }

    internal IExternalScopeProvider Scopes { get; private set; } = new LoggerExternalScopeProvider();

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, name => new JsonLinesLogger(name, this));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        ArgumentNullException.ThrowIfNull(scopeProvider);
        Scopes = scopeProvider;
    }

    internal void Write(string line)
    {
        // One writer, many threads: lines must never interleave.
        lock (_gate)
        {
            _output.WriteLine(line);
            _output.Flush();
        }
    }

    public void Dispose() => _loggers.Clear();
}
