using Microsoft.Extensions.Logging;
using Workflows.Core.Dsql;

namespace Workflows.Cli.Pairs;

/// <summary>
/// Builds each Lambda function with its test constructor, <c>(IDsqlClientFactory, TimeProvider, ILogger)</c> or,
/// for the validation functions, <c>(TimeProvider, ILogger)</c>: the same code the Lambda runtime runs, handed
/// the run's DSQL clients and clock instead of reading its environment. Never the parameterless constructor: it
/// would build clients for real AWS from environment variables, whatever endpoint the user chose.
/// </summary>
internal sealed class FunctionActivator(IDsqlClientFactory clients, TimeProvider clock, ILoggerFactory loggers)
{
    public object Create(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var logger = loggers.CreateLogger(type.Assembly.GetName().Name ?? type.FullName ?? type.Name);
        foreach (var constructor in type.GetConstructors())
        {
            var parameters = constructor.GetParameters().Select(p => p.ParameterType).ToArray();
            if (parameters.SequenceEqual([typeof(IDsqlClientFactory), typeof(TimeProvider), typeof(ILogger)]))
            {
                return constructor.Invoke([clients, clock, logger]);
            }

            if (parameters.SequenceEqual([typeof(TimeProvider), typeof(ILogger)]))
            {
                return constructor.Invoke([clock, logger]);
            }
        }

        throw new InvalidOperationException(
            $"{type.FullName} has no public constructor (IDsqlClientFactory, TimeProvider, ILogger) or (TimeProvider, ILogger) to run it locally");
    }
}
