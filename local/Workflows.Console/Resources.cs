using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;

namespace Workflows.WebConsole;

/// <summary>The console's embedded files (layout, stylesheet, script): read once, with a content hash for ETags.</summary>
internal static class Resources
{
    private static readonly ConcurrentDictionary<string, (byte[] Bytes, string ETag)?> Cache = new(StringComparer.Ordinal);

    /// <summary>The file's bytes and a strong ETag, or null when there is no such file.</summary>
    public static (byte[] Bytes, string ETag)? Get(string fileName) =>
        Cache.GetOrAdd(fileName, name =>
        {
            using var stream = typeof(Resources).Assembly.GetManifestResourceStream("console/" + name);
            if (stream is null)
            {
                return null;
            }

            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            return (bytes, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
        });

    public static string Text(string fileName) =>
        Get(fileName) is { } r ? System.Text.Encoding.UTF8.GetString(r.Bytes) : throw new InvalidOperationException($"the console resource '{fileName}' is missing from {Assembly.GetExecutingAssembly().GetName().Name}");
}
