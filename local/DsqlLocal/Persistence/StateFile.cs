using System.Text.Json;
using System.Text.Json.Serialization;
using DsqlLocal.Model;

namespace DsqlLocal.Persistence;

/// <summary>
/// The optional data file. Each save writes a sibling temp file, flushes it to disk and renames it over the
/// old one, so a crash at any point leaves either the previous or the new state, never a torn file.
/// </summary>
internal sealed class StateFile(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public PersistedState? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        using var stream = File.OpenRead(Path);
        try
        {
            return JsonSerializer.Deserialize(stream, StateJsonContext.Default.PersistedState);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The data file {Path} is not a DSQL Local state file: {ex.Message}", ex);
        }
    }

    public void Save(PersistedState state)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, state, StateJsonContext.Default.PersistedState);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(PersistedState))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
