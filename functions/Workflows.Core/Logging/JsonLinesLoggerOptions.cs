using Microsoft.Extensions.Logging;

namespace Workflows.Core.Logging;

/// <summary>What every line of <see cref="JsonLinesLoggerProvider"/> says about the process it comes from.</summary>
public sealed record JsonLinesLoggerOptions
{
    public const string DefaultService = "workflows";

    public string Service { get; init; } = DefaultService;

    public LogLevel MinimumLevel { get; init; } = LogLevel.Information;

    public string? FunctionName { get; init; }

    public int? FunctionMemorySize { get; init; }
}
