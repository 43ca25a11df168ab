using System.Text.Json;
using System.Text.Json.Serialization;
using DsqlLocal.Model;

namespace DsqlLocal.Persistence;

/// <summary>
/// The optional data file: a snapshot of the whole state (one JSON document), followed by one journal line per
/// mutation since (<see cref="JournalEntry"/>, compact JSON, each ended by a newline and flushed to disk before the
/// request answers), so a mutation writes what it changed, not the whole state. A compaction writes a new snapshot to
/// a sibling temp file, flushes it, renames it over the file and flushes the directory: a crash at any point leaves
/// the old or the new file. A crash during an append leaves at most a torn last line, which loading ignores (that
/// mutation never answered).
/// </summary>
internal sealed class StateFile(string path)
{
    /// <summary>
    /// Journal bytes beyond which the next mutation compacts, when the journal is also longer than the snapshot (so
    /// loading never replays more than about the state's own size; Inferred figures).
    /// </summary>
    public long CompactionFloorBytes { get; init; } = 1024 * 1024;

    private static readonly System.Buffers.SearchValues<byte> Blank = System.Buffers.SearchValues.Create(" \n\r\t"u8);

    private long _snapshotLength;
    private long _length = -1;

    /// <summary>The only format version this build reads and writes.</summary>
    public const int FormatVersion = 1;

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>The saved state, or null when the file does not exist yet.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a DSQL Local state file.</exception>
    public PersistedState? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"The data file {Path} cannot be read: {ex.Message}", ex);
        }

        return ParseWithJournal(bytes, Path).State;
    }

    /// <summary>The snapshot at the start of the file, then every complete journal line after it, in order.</summary>
    internal static (PersistedState State, long SnapshotLength) ParseWithJournal(ReadOnlySpan<byte> bytes, string path)
    {
        PersistedState? snapshot;
        long consumed;
        try
        {
            var reader = new Utf8JsonReader(bytes);
            snapshot = JsonSerializer.Deserialize(ref reader, StateJsonContext.Default.PersistedState);
            consumed = reader.BytesConsumed;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw NotAStateFile(path, ex.Message, ex);
        }

        var state = Check(snapshot, path);
        var rest = bytes[(int)consumed..];
        if (rest.IsEmpty || rest.IndexOfAnyExcept(Blank) < 0)
        {
            return (state, bytes.Length);
        }

        var clusters = state.Clusters.ToDictionary(c => c.Arn, StringComparer.Ordinal);
        var tokens = state.ClientTokens.ToDictionary(t => t.Key, StringComparer.Ordinal);
        var line = 0;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var text = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            line++;
            if (text.Trim((byte)' ').IsEmpty)
            {
                continue;
            }

            JournalEntry? entry = null;
            try
            {
                entry = JsonSerializer.Deserialize(text, JournalJsonContext.Default.JournalEntry);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                // A torn last line is a mutation that never answered: ignored. Anywhere else it is damage.
                if (rest.IndexOfAnyExcept(Blank) < 0)
                {
                    break;
                }

                throw NotAStateFile(path, $"journal line {line} after the snapshot is not a journal entry: {ex.Message}", ex);
            }

            if (entry is null)
            {
                throw NotAStateFile(path, $"journal line {line} after the snapshot holds null.");
            }

            foreach (var arn in entry.Remove ?? [])
            {
                clusters.Remove(arn);
            }

            foreach (var cluster in entry.Put ?? [])
            {
                CheckCluster(cluster, $"journal line {line}", path);
                clusters[cluster.Arn] = cluster;
            }

            foreach (var token in entry.Tokens ?? [])
            {
                CheckToken(token, $"journal line {line}", path);
                tokens[token.Key] = token;
            }

            state.NextSequence = entry.NextSequence;
            state.IdentifiersIssued = entry.IdentifiersIssued;
        }

        state.Clusters = clusters.Values.OrderBy(c => c.Sequence).ToList();
        state.ClientTokens = tokens.Values.ToList();
        return (state, consumed);
    }

    /// <summary>Reads and checks a state document; anything that is not a complete state file is rejected.</summary>
    internal static PersistedState Parse(ReadOnlySpan<byte> json, string path) => ParseWithJournal(json, path).State;

    private static PersistedState Check(PersistedState? state, string path)
    {
        if (state is null)
        {
            throw NotAStateFile(path, "it holds null instead of a state object.");
        }

        if (state.Version != FormatVersion)
        {
            throw NotAStateFile(path, $"format version {state.Version} is not supported (this build reads version {FormatVersion}).");
        }

        if (state.IdentifiersIssued < 0)
        {
            throw NotAStateFile(path, "'identifiersIssued' must not be negative.");
        }

        if (state.Clusters is null)
        {
            throw NotAStateFile(path, "'clusters' must be an array, not null.");
        }

        if (state.ClientTokens is null)
        {
            throw NotAStateFile(path, "'clientTokens' must be an array, not null.");
        }

        var arns = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < state.Clusters.Count; i++)
        {
            var cluster = state.Clusters[i];
            CheckCluster(cluster, $"clusters[{i}]", path);
            if (!arns.Add(cluster.Arn))
            {
                throw NotAStateFile(path, $"clusters[{i}] repeats the ARN {cluster.Arn}.");
            }
        }

        for (var i = 0; i < state.ClientTokens.Count; i++)
        {
            CheckToken(state.ClientTokens[i], $"clientTokens[{i}]", path);
        }

        return state;
    }

    private static void CheckCluster(ClusterRecord? cluster, string where, string path)
    {
        if (cluster is null || cluster.Identifier is null || cluster.Arn is null || cluster.Region is null || cluster.AccountId is null
            || cluster.Tags is null || cluster.Tags.Values.Any(v => v is null) || cluster.Peers is null || cluster.Peers.Any(p => p is null))
        {
            throw NotAStateFile(path, $"{where} is null or lacks a required value.");
        }
    }

    private static void CheckToken(IdempotencyRecord? token, string where, string path)
    {
        if (token is null || token.Key is null || token.Fingerprint is null || token.ResponseJson is null)
        {
            throw NotAStateFile(path, $"{where} is null or lacks a required value.");
        }
    }

    public static byte[] Serialize(PersistedState state) =>
        JsonSerializer.SerializeToUtf8Bytes(state, StateJsonContext.Default.PersistedState);

    public void Save(PersistedState state) => Write(Serialize(state));

    /// <summary>Whether the journal has grown past the snapshot (and the floor), so the next mutation should compact.</summary>
    public bool WantsCompaction => _length < 0 || _length - _snapshotLength > Math.Max(_snapshotLength, CompactionFloorBytes);

    /// <summary>
    /// Appends one journal line and flushes it to disk. Throws when it cannot, after cutting the file back to its
    /// length before (so no torn line is left in the middle); when even that fails, the next save compacts.
    /// </summary>
    public void Append(JournalEntry entry)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(entry, JournalJsonContext.Default.JournalEntry);
        var expected = _length;
        // Until this append is known to be complete, the next save compacts instead (a compaction never depends on
        // what is in the file).
        _length = -1;

        // FileMode.Open: a data file that vanished is never recreated as a bare journal.
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.Read);
        if (stream.Length != expected)
        {
            throw new IOException($"The data file {Path} changed outside DSQL Local (expected {expected} bytes, found {stream.Length}).");
        }

        try
        {
            stream.Seek(0, SeekOrigin.End);
            stream.Write(line);
            stream.WriteByte((byte)'\n');
            stream.Flush(flushToDisk: true);
            _length = stream.Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // Cut the torn line off, best effort: the compaction the next save does would replace it anyway.
            try
            {
                stream.SetLength(expected);
            }
            catch (Exception inner) when (inner is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                // Left to the compaction.
            }

            throw;
        }
    }

    /// <summary>Replaces the file with <paramref name="json"/> atomically; throws (leaving the old file) if it cannot.</summary>
    public void Write(byte[] json)
    {
        AtomicFile.Replace(Path, json);
        _snapshotLength = json.Length;
        _length = json.Length;
    }

    private static InvalidDataException NotAStateFile(string path, string reason, Exception? inner = null) =>
        new($"The data file {path} is not a DSQL Local state file: {reason.ReplaceLineEndings(" ")}", inner);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PersistedState))]
internal sealed partial class StateJsonContext : JsonSerializerContext;

/// <summary>Journal lines: the same records, one line each (no indentation).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(JournalEntry))]
internal sealed partial class JournalJsonContext : JsonSerializerContext;
