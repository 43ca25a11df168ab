namespace Workflows.WebConsole.Inputs;

/// <summary>One console input: a JSON file under the repository's events/ directory.</summary>
public sealed record InputPreset(string FileName, string Text);

/// <summary>
/// The console inputs that fit a machine: every *.json file in the events directory that passes the machine's input
/// validation (so provision-input.json fits the provision machine and the function test events do not), files whose
/// name starts with the machine's request kind first. The directory is read on each request: an edited file shows
/// at the next page load.
/// </summary>
public sealed class InputPresets(string? directory)
{
    private const long MaxFileBytes = 256 * 1024;

    public string? Directory { get; } = directory;

    public IReadOnlyList<InputPreset> For(string? kind, InputValidator validator)
    {
        ArgumentNullException.ThrowIfNull(validator);
        if (Directory is null || !System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var fits = new List<InputPreset>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.json").Order(StringComparer.Ordinal))
        {
            string text;
            try
            {
                if (new FileInfo(path).Length > MaxFileBytes)
                {
                    continue;
                }

                text = File.ReadAllText(path);
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (validator(text) is null)
            {
                fits.Add(new InputPreset(Path.GetFileName(path), text));
            }
        }

        return kind is null ? fits : [.. fits.OrderBy(p => p.FileName.StartsWith(kind, StringComparison.OrdinalIgnoreCase) ? 0 : 1)];
    }
}
