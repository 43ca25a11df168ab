using System.Globalization;
using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;
using Workflows.Core.Logging;

namespace Workflows.Core.Hosting;

/// <summary>
/// The environment variables a function reads, checked once at start so that a bad value fails the cold
/// start with a message naming the variable instead of surfacing later as an odd error inside a step.
/// </summary>
public sealed record FunctionEnvironment
{
    public const string ServiceNameVariable = "POWERTOOLS_SERVICE_NAME";
    public const string PowertoolsLogLevelVariable = "POWERTOOLS_LOG_LEVEL";
    public const string LambdaLogLevelVariable = "AWS_LAMBDA_LOG_LEVEL";
    public const string FunctionNameVariable = "AWS_LAMBDA_FUNCTION_NAME";
    public const string MemorySizeVariable = "AWS_LAMBDA_FUNCTION_MEMORY_SIZE";
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";
    public const string UseFipsVariable = "AWS_USE_FIPS_ENDPOINT";
    public const string StepBudgetVariable = "WORKFLOWS_STEP_BUDGET_SECONDS";

    /// <summary>The largest budget: Lambda's own maximum timeout.</summary>
    public const int MaxStepBudgetSeconds = 900;

    public required string ServiceName { get; init; }

    public required LogLevel MinimumLevel { get; init; }

    public string? FunctionName { get; init; }

    public int? MemorySize { get; init; }

    public required bool UseFips { get; init; }

    /// <summary>How long one invocation may run before it stops with StepTimeoutException; keep it below the function's timeout.</summary>
    public TimeSpan StepBudget { get; init; } = StepHost.DefaultBudget;

    /// <summary>Reads and validates the variables through <paramref name="environment"/>.</summary>
    /// <exception cref="FunctionConfigurationException">A variable has a value the function cannot use.</exception>
    public static FunctionEnvironment Load(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var service = Value(environment, ServiceNameVariable) ?? JsonLinesLoggerOptions.DefaultService;
        if (service.Length > 256 || service.Any(char.IsControl))
        {
            throw new FunctionConfigurationException(ServiceNameVariable, "must be at most 256 characters without control characters", null);
        }

        // Lambda's advanced logging controls win over Powertools' own setting, as in Powertools itself.
        var level = Value(environment, LambdaLogLevelVariable) is { } lambdaLevel
            ? ParseLevel(LambdaLogLevelVariable, lambdaLevel)
            : Value(environment, PowertoolsLogLevelVariable) is { } powertoolsLevel
                ? ParseLevel(PowertoolsLogLevelVariable, powertoolsLevel)
                : LogLevel.Information;

        int? memory = null;
        if (Value(environment, MemorySizeVariable) is { } memoryText)
        {
            if (!int.TryParse(memoryText, NumberStyles.None, CultureInfo.InvariantCulture, out var mb) || mb is < 128 or > 10240)
            {
                throw new FunctionConfigurationException(MemorySizeVariable, $"'{memoryText}' is not a memory size in MB (128 to 10240)", null);
            }

            memory = mb;
        }

        var useFips = Value(environment, UseFipsVariable) switch
        {
            null => false,
            var v when v.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
            var v when v.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
            var v => throw new FunctionConfigurationException(UseFipsVariable, $"'{v}' must be true or false", null),
        };

        var budget = StepHost.DefaultBudget;
        if (Value(environment, StepBudgetVariable) is { } budgetText)
        {
            if (!int.TryParse(budgetText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > MaxStepBudgetSeconds)
            {
                throw new FunctionConfigurationException(StepBudgetVariable, $"'{budgetText}' is not a whole number of seconds from 1 to {MaxStepBudgetSeconds} (keep it below the function timeout)", null);
            }

            budget = TimeSpan.FromSeconds(seconds);
        }

        try
        {
            // The client resolves the endpoint per Region later; any Region shows whether the variables are usable.
            DsqlEndpointResolver.Resolve("us-east-1", null, useFips, environment);
        }
        catch (InvalidOperationException e)
        {
            throw new FunctionConfigurationException($"DSQL endpoint: {e.Message}", e);
        }

        return new FunctionEnvironment
        {
            ServiceName = service,
            MinimumLevel = level,
            FunctionName = Value(environment, FunctionNameVariable),
            MemorySize = memory,
            UseFips = useFips,
            StepBudget = budget,
        };
    }

    /// <summary>The X-Ray trace id of the current invocation (the runtime sets it per invocation).</summary>
    public static string? TraceId(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return Value(environment, TraceIdVariable);
    }

    public JsonLinesLoggerOptions LoggerOptions() => new()
    {
        Service = ServiceName,
        MinimumLevel = MinimumLevel,
        FunctionName = FunctionName,
        FunctionMemorySize = MemorySize,
    };

    private static string? Value(Func<string, string?> environment, string name) =>
        environment(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static LogLevel ParseLevel(string variable, string value) => value.ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" or "INFORMATION" => LogLevel.Information,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "FATAL" or "CRITICAL" => LogLevel.Critical,
        "NONE" => LogLevel.None,
        _ => throw new FunctionConfigurationException(variable, $"'{value}' is not a log level (TRACE, DEBUG, INFO, WARN, ERROR, FATAL or NONE)", null),
    };
}
