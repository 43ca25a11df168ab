using Workflows.Core.Hosting;
using Workflows.Core.Steps;
using Workflows.Engine.Tasks;
using Workflows.Templates;

namespace Workflows.Cli.Pairs;

/// <summary>
/// The in-process mode: each template function runs as its step on the same generic host its bootstrap uses on
/// Lambda (<see cref="IStepFunction"/>), built on the run's <see cref="StepServices"/> (the DSQL clients of the
/// chosen endpoint, the engine's clock) instead of the Lambda environment.
/// </summary>
internal static class InProcessFunctions
{
    /// <exception cref="InvalidOperationException">A function's CodeUri names no step of <see cref="StepCatalog"/>.</exception>
    public static LambdaHandlerLoader.Handler For(SamFunction function, StepServices services)
    {
        ArgumentNullException.ThrowIfNull(function);
        var step = StepCatalog.ForCodeUri(function.CodeUri)
            ?? throw new InvalidOperationException($"template: function {function.LogicalId} has CodeUri '{function.CodeUri}', which is not a functions/<Step>/ folder of a known step");
        var instance = step.Create(services);
        return (payload, cancellationToken) => instance.InvokeAsync(payload, InvocationContext.None, cancellationToken);
    }
}
