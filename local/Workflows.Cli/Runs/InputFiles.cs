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

    /// <summary>
    /// --input: inline JSON, or @path to read it from a file. Checked here so the message can say where: JSON, no
    /// deeper than <see cref="StrictInput.MaxDepth"/>, and for a request (<paramref name="request"/>: provision,
    /// update or teardown) no member its contract does not name, at any level.
    /// </summary>
    public static string ReadJsonInput(CliHost host, string? value, string? request = null)
    {
        if (value is null)
        {
            return "{}";
        }

        var (json, source) = value.StartsWith('@')
            ? (ReadText(host, value[1..], "input file"), $"--input file '{value[1..]}'")
            : (value, "--input");
        StrictInput.CheckDepth(json, source);
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new UsageException($"{source} is not valid JSON at {Workflows.Engine.Definition.JsonSyntax.Describe(json, e)}", e);
        }

        if (request is not null)
        {
            StrictInput.CheckMembers(json, request, source);
        }

        return json;
    }
}
