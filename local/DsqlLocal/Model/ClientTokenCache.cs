using DsqlLocal.Http;

namespace DsqlLocal.Model;

/// <summary>
/// Remembers the first successful answer per (Region, operation, clientToken). How long AWS keeps tokens is
/// not documented; the emulator keeps them for its lifetime (and in the data file).
/// </summary>
internal sealed class ClientTokenCache
{
    private readonly Dictionary<string, IdempotencyRecord> _records = new(StringComparer.Ordinal);

    /// <summary>Remembered since the data file was last written (their journal line is still to be written).</summary>
    private readonly List<IdempotencyRecord> _pending = [];

    /// <summary>The records as the data file holds them, kept only between a Clear and the next write (to roll back).</summary>
    private List<IdempotencyRecord>? _beforeClear;

    public IReadOnlyCollection<IdempotencyRecord> Records => _records.Values;

    public IReadOnlyList<IdempotencyRecord> Pending => _pending;

    /// <summary>Whether a Clear has not been written yet (only a new snapshot can say that tokens were forgotten).</summary>
    public bool Cleared => _beforeClear is not null;

    public void Load(IEnumerable<IdempotencyRecord> records)
    {
        foreach (var record in records)
        {
            _records[record.Key] = record;
        }

        _pending.Clear();
        _beforeClear = null;
    }

    public void Clear()
    {
        _beforeClear ??= _records.Values.Where(r => !_pending.Contains(r)).ToList();
        _records.Clear();
        _pending.Clear();
    }

    /// <summary>The data file now holds every record.</summary>
    public void Commit()
    {
        _pending.Clear();
        _beforeClear = null;
    }

    /// <summary>The data file could not be written: forget what it does not hold.</summary>
    public void Rollback()
    {
        if (_beforeClear is { } before)
        {
            _records.Clear();
            Load(before);
            return;
        }

        foreach (var record in _pending)
        {
            _records.Remove(record.Key);
        }

        _pending.Clear();
    }

    /// <summary>
    /// The answer to replay for a repeated request, or null for a token not seen before. A token reused for
    /// a different request is a conflict rather than a replay.
    /// </summary>
    public string? Replay(string region, string operation, string token, string fingerprint, string? resourceId)
    {
        if (!_records.TryGetValue(Key(region, operation, token), out var previous))
        {
            return null;
        }

        return previous.Fingerprint == fingerprint
            ? previous.ResponseJson
            : throw Errors.Conflict(
                resourceId,
                $"The client token '{token}' was already used with a different {operation} request. Use a new client token for a different request.");
    }

    public void Remember(string region, string operation, string token, string fingerprint, string responseJson, DateTimeOffset now)
    {
        var key = Key(region, operation, token);
        var record = new IdempotencyRecord { Key = key, Fingerprint = fingerprint, ResponseJson = responseJson, CreatedAt = now };
        _records[key] = record;
        _pending.Add(record);
    }

    private static string Key(string region, string operation, string token) => string.Join('\n', region, operation, token);
}
