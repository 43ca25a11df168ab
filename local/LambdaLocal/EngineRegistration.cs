using Workflows.Engine.Tasks;

namespace Workflows.LambdaLocal;

/// <summary>Puts the service's functions into the local engine, so Task states invoke the processes.</summary>
public static class EngineRegistration
{
    /// <summary>
    /// Registers every function of <paramref name="service"/> in <paramref name="registry"/> under its name. Success
    /// gives the payload; a function error becomes <see cref="LambdaFunctionErrorException"/>, which the engine reports
    /// as Error = errorType and Cause = the error document, exactly as Step Functions sees a Lambda function error.
    /// The registry must not be <see cref="LambdaFunctionRegistry.InlineHandlers"/>: these handlers do real I/O.
    /// </summary>
    public static void RegisterAll(this LambdaService service, LambdaFunctionRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(registry);
        if (registry.InlineHandlers)
        {
            throw new ArgumentException("out-of-process functions do real I/O; the registry must not run handlers inline", nameof(registry));
        }

        foreach (var name in service.FunctionNames)
        {
            registry.Register(name, new LambdaHandlerLoader.Handler(async (payload, ct) =>
            {
                using var buffer = new MemoryStream();
                await payload.CopyToAsync(buffer, ct);
                var result = await service.InvokeAsync(name, buffer.ToArray(), cancellationToken: ct);
                if (result.IsError)
                {
                    throw new LambdaFunctionErrorException(result.ErrorType ?? "Lambda.Unknown", result.PayloadText);
                }

                return new MemoryStream(result.Payload.ToArray(), writable: false);
            }));
        }
    }
}
