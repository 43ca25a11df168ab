using System.Text.Json;
using System.Text.Json.Serialization;
using DsqlLocal.Model;

namespace DsqlLocal.Persistence;

/// <summary>
/// The optional data file. Each save writes a sibling temp file, flushes it to disk and renames it over the
/// old one, then flushes the directory so the rename itself is durable: a crash or power loss at any point
/// leaves either the previous or the new state, never a torn file.
/// </summary>
internal sealed class StateFile(string path)
{
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

        return Parse(bytes, Path);
    }

    /// <summary>Reads and checks a state document; anything that is not a complete state file is rejected.</summary>
    internal static PersistedState Parse(ReadOnlySpan<byte> json, string path)
    {
        PersistedState? state;
        try
        {
            state = JsonSerializer.Deserialize(json, StateJsonContext.Default.PersistedState);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw NotAStateFile(path, ex.Message, ex);
        }

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
            if (cluster is null || cluster.Identifier is null || cluster.Arn is null || cluster.Region is null || cluster.AccountId is null
                || cluster.Tags is null || cluster.Tags.Values.Any(v => v is null) || cluster.Peers is null || cluster.Peers.Any(p => p is null))
            {
                throw NotAStateFile(path, $"clusters[{i}] is null or lacks a required value.");
            }

            if (!arns.Add(cluster.Arn))
            {
                throw NotAStateFile(path, $"clusters[{i}] repeats the ARN {cluster.Arn}.");
            }
        }

        for (var i = 0; i < state.ClientTokens.Count; i++)
        {
            var token = state.ClientTokens[i];
            if (token is null || token.Key is null || token.Fingerprint is null || token.ResponseJson is null)
            {
                throw NotAStateFile(path, $"clientTokens[{i}] is null or lacks a required value.");
            }
        }

        return state;
    }

    public static byte[] Serialize(PersistedState state) =>
        JsonSerializer.SerializeToUtf8Bytes(state, StateJsonContext.Default.PersistedState);

    public void Save(PersistedState state) => Write(Serialize(state));

    /// <summary>Replaces the file with <paramref name="json"/> atomically; throws (leaving the old file) if it cannot.</summary>
    public void Write(byte[] json)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(json);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);

            // The rename is only durable once the directory entry is on disk: fsync the directory too, so a power
            // loss right after a save cannot bring back the previous file. Where the OS or file system cannot
            // flush a directory (Windows, some network file systems) this is skipped. A failure here is ignored:
            // the new state is already in place, and failing the save would put memory behind the file.
            try
            {
                DirectorySync.Flush(directory);
            }
            catch (IOException)
            {
                // Best effort, see above.
            }
        }
        finally
        {
            DeleteQuietly(temp);
        }
    }

    private static void DeleteQuietly(string temp)
    {
        try
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The write already failed or succeeded; a leftover temp file must not replace that outcome.
        }
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
