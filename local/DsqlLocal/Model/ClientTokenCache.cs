using DsqlLocal.Http;

namespace DsqlLocal.Model;

/// <summary>
/// Remembers the first successful answer per (Region, operation, clientToken). How long AWS keeps tokens is
/// not documented; the emulator keeps them for its lifetime (and in the data file).
/// </summary>
internal sealed class ClientTokenCache
{
    private readonly Dictionary<string, IdempotencyRecord> _records = new(StringComparer.Ordinal);

    public IReadOnlyCollection<IdempotencyRecord> Records => _records.Values;

    public void Load(IEnumerable<IdempotencyRecord> records)
    {
        foreach (var record in records)
        {
            _records[record.Key] = record;
        }
    }

    public void Clear() => _records.Clear();

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
        _records[key] = new IdempotencyRecord { Key = key, Fingerprint = fingerprint, ResponseJson = responseJson, CreatedAt = now };
    }

    private static string Key(string region, string operation, string token) => string.Join('\n', region, operation, token);
}
