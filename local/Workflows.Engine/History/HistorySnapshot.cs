using System.Collections;

namespace Workflows.Engine.History;

/// <summary>
/// The first <see cref="Count"/> events of a history, read from its chunks. The history only ever writes past the
/// events a snapshot covers, so a snapshot never changes and costs no copy of the events.
/// </summary>
internal sealed class HistorySnapshot : IReadOnlyList<HistoryEvent>
{
    private readonly HistoryEvent[][] _chunks;

    public HistorySnapshot(HistoryEvent[][] chunks, int count)
    {
        _chunks = chunks;
        Count = count;
    }

    public int Count { get; }

    public HistoryEvent this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _chunks[index / ExecutionHistory.ChunkSize][index % ExecutionHistory.ChunkSize];
        }
    }

    public IEnumerator<HistoryEvent> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return _chunks[i / ExecutionHistory.ChunkSize][i % ExecutionHistory.ChunkSize];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
