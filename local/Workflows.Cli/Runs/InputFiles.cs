using System.Text.Json;

namespace Workflows.Cli.Runs;

/// <summary>Reads the files and JSON values a run is given, turning every problem into a one-line usage error.</summary>
internal static class InputFiles
{
    public static string ReadText(CliHost host, string path, string what)
    {
        var full = host.ResolvePath(path);
        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"{what} '{path}' does not exist", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{what} '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>--input: inline JSON, or @path to read it from a file. Checked here so the message can say where.</summary>
    public static string ReadJsonInput(CliHost host, string? value)
    {
        if (value is null)
        {
            return "{}";
        }

        var (json, source) = value.StartsWith('@')
            ? (ReadText(host, value[1..], "input file"), $"--input file '{value[1..]}'")
            : (value, "--input");
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var position = (e.BytePositionInLine ?? 0) + 1;
            throw new UsageException($"{source} is not valid JSON at line {line}, position {position}: {Reason(e.Message)}", e);
        }

        return json;
    }

    // System.Text.Json appends its zero-based coordinates; ours are one-based and already in the message.
    private static string Reason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var path = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (path >= 0 && (cut < 0 || path < cut))
        {
            cut = path;
        }

        return (cut >= 0 ? message[..cut] : message).TrimEnd(' ', '|', '.') + ".";
    }
}
