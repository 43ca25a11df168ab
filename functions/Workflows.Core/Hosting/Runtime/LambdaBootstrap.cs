using System.Runtime.InteropServices;

namespace Workflows.Core.Hosting.Runtime;

/// <summary>
/// The <c>bootstrap</c> of every function on <c>provided.al2023</c>: builds the step once per execution environment
/// (a configuration error goes to <c>/runtime/init/error</c>), then loops on the Runtime API: next event, run the
/// step, post its response or its error. This is the seam where the official packages drop in later: with
/// Amazon.Lambda.RuntimeSupport, the same <see cref="IStepFunction.InvokeAsync"/> goes to its bootstrap builder.
/// </summary>
public static class LambdaBootstrap
{
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    /// <summary>Exit code when the Runtime API is missing or broke: Lambda starts a new environment.</summary>
    public const int RuntimeFailureExitCode = 1;

    /// <summary>Exit code after an init error was reported.</summary>
    public const int InitFailureExitCode = 2;

    /// <summary>Runs <paramref name="step"/> as this process's function until SIGTERM; returns the exit code.</summary>
    public static Task<int> RunAsync(StepDefinition step) => RunAsync(step, LambdaBootstrapOptions.Process, CancellationToken.None);

    public static async Task<int> RunAsync(StepDefinition step, LambdaBootstrapOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(options);
        var api = options.Environment(RuntimeApiVariable);
        if (string.IsNullOrWhiteSpace(api))
        {
            await options.Error.WriteLineAsync($"{step.Name}: {RuntimeApiVariable} is not set; this bootstrap runs under AWS Lambda (provided.al2023) or a local Lambda that serves the Runtime API.");
            return RuntimeFailureExitCode;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = options.HandleSigterm
            ? PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                stop.Cancel();
            })
            : null;
        LambdaRuntimeClient client;
        try
        {
            client = new LambdaRuntimeClient(api.Trim(), options.Handler);
        }
        catch (ArgumentException e)
        {
            await options.Error.WriteLineAsync($"{step.Name}: {e.Message}");
            return RuntimeFailureExitCode;
        }

        using (client)
        {
            try
            {
                return await RunLoopAsync(step, client, options, stop.Token);
            }
            catch (RuntimeApiException e)
            {
                await options.Error.WriteLineAsync($"{step.Name}: {e.Message}");
                return RuntimeFailureExitCode;
            }
        }
    }

    private static async Task<int> RunLoopAsync(StepDefinition step, LambdaRuntimeClient client, LambdaBootstrapOptions options, CancellationToken stop)
    {
        StepServices services;
        IStepFunction function;
        try
        {
            services = StepServices.FromEnvironment(options.Environment, options.Output, options.Time);
            function = step.Create(services);
        }
#pragma warning disable CA1031 // Whatever stops the function from starting is reported to Lambda as its init error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await options.Error.WriteLineAsync($"{step.Name}: init failed with {e.GetType().Name}: {e.Message}");
            await client.ReportInitErrorAsync(ErrorDocument.From(e), CancellationToken.None);
            return InitFailureExitCode;
        }

        using (services)
        {
            while (!stop.IsCancellationRequested)
            {
                RuntimeInvocation invocation;
                try
                {
                    invocation = await client.NextAsync(stop);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }

                // An invocation that has begun runs to its end even if SIGTERM arrives meanwhile: its answer is due.
                await InvokeAsync(function, client, invocation, options);
            }
        }

        return 0;
    }

    private static async Task InvokeAsync(IStepFunction function, LambdaRuntimeClient client, RuntimeInvocation invocation, LambdaBootstrapOptions options)
    {
        if (options.SetTraceIdVariable)
        {
            Environment.SetEnvironmentVariable(FunctionEnvironment.TraceIdVariable, invocation.Context.TraceId);
        }

        byte[] response;
        try
        {
            using var input = new MemoryStream(invocation.Payload, writable: false);
            await using var output = await function.InvokeAsync(input, invocation.Context, CancellationToken.None);
            using var buffer = new MemoryStream();
            await output.CopyToAsync(buffer);
            response = buffer.ToArray();
        }
#pragma warning disable CA1031 // Any exception of the step is the invocation's error, reported by its type name.
        catch (Exception e)
#pragma warning restore CA1031
        {
            await client.ReportErrorAsync(invocation.RequestId, ErrorDocument.From(e), CancellationToken.None);
            return;
        }

        if (response.Length > LambdaRuntimeClient.MaxResponseBytes)
        {
            var tooLarge = new ResponseTooLargeException(response.Length, LambdaRuntimeClient.MaxResponseBytes);
            await client.ReportErrorAsync(
                invocation.RequestId,
                ErrorDocument.From(tooLarge) with { ErrorType = LambdaRuntimeClient.ResponseTooLargeErrorType },
                CancellationToken.None);
            return;
        }

        await client.RespondAsync(invocation.RequestId, response, CancellationToken.None);
    }
}
