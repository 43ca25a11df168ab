namespace Workflows.Core.Hosting;

/// <summary>The logic of one lifecycle step: its typed input record in, its output record out.</summary>
public interface IStep<in TInput, TOutput>
    where TInput : class
{
    Task<TOutput> RunAsync(TInput input, CancellationToken cancellationToken = default);
}
