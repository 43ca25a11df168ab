using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Workflows.Cli.Pairs;

/// <summary>
/// Where the functions' and the DSQL client's logs go during a run: one line each in
/// &lt;state dir&gt;/last-run.log, stamped with the run's clock (virtual time when embedded), so the console stays
/// the progress display and a retry can still be traced afterwards.
/// </summary>
internal sealed class FunctionLog : ILoggerFactory
{
    public const string FileName = "last-run.log";

    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;
    private readonly TimeProvider _clock;

    public FunctionLog(string directory, TimeProvider clock)
    {
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, FileName);
        _writer = new StreamWriter(Path, append: false) { AutoFlush = false };
        _clock = clock;
    }

    public string Path { get; }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }

    /// <summary>A line a function process printed (functions run as processes): kept as the process wrote it.</summary>
    public void WriteProcessLine(string function, string text)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{Output.Formats.Timestamp(_clock.GetUtcNow())} {function}: {text}");
        lock (_gate)
        {
            _writer.WriteLine(line.ReplaceLineEndings(" "));
        }
    }

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{Output.Formats.Timestamp(_clock.GetUtcNow())} {level,-11} {category}: {message}");
        lock (_gate)
        {
            _writer.WriteLine(line.ReplaceLineEndings(" "));
            if (exception is not null)
            {
                _writer.WriteLine("    " + exception.GetType().Name + ": " + exception.Message.ReplaceLineEndings(" "));
            }
        }
    }

    private sealed class Logger(FunctionLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (IsEnabled(logLevel))
            {
                log.Write(category, logLevel, formatter(state, exception), exception);
            }
        }
    }
}
