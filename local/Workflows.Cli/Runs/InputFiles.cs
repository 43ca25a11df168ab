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
            throw new UsageException($"{source} is not valid JSON at {Workflows.Engine.Definition.JsonSyntax.Describe(json, e)}", e);
        }

        return json;
    }
}
