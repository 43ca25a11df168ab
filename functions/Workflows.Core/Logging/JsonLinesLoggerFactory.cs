using Microsoft.Extensions.Logging;

namespace Workflows.Core.Logging;

/// <summary>
/// An ILoggerFactory over one <see cref="JsonLinesLoggerProvider"/>: all a function needs, without taking
/// Microsoft.Extensions.Logging (and its configuration stack) into every deployment package.
/// </summary>
public sealed class JsonLinesLoggerFactory(JsonLinesLoggerProvider provider) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("JsonLinesLoggerFactory writes through the one provider it was created with.");

    public void Dispose() => provider.Dispose();
}
