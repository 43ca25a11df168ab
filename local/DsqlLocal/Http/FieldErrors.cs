using System.Text.RegularExpressions;
using DsqlLocal.Wire;

namespace DsqlLocal.Http;

/// <summary>
/// Collects field failures in the wording AWS's request validators use, so a whole request can report all
/// of its problems at once the way the real service does.
/// </summary>
internal sealed class FieldErrors
{
    private readonly List<WireValidationField> _fields = [];

    public bool Any => _fields.Count > 0;

    public void Add(string path, string? value, string constraint)
    {
        var shown = value is null ? "null" : value.Length > 256 ? value[..256] + "..." : value;
        _fields.Add(new WireValidationField(path, $"Value '{shown}' at '{path}' failed to satisfy constraint: {constraint}"));
    }

    public void AddRaw(string path, string message) => _fields.Add(new WireValidationField(path, message));

    public void Length(string path, string value, int min, int max)
    {
        if (value.Length < min)
        {
            Add(path, value, $"Member must have length greater than or equal to {min}");
        }
        else if (value.Length > max)
        {
            Add(path, value, $"Member must have length less than or equal to {max}");
        }
    }

    public void Pattern(string path, string value, Regex regex, string pattern)
    {
        if (!regex.IsMatch(value))
        {
            Add(path, value, "Member must satisfy regular expression pattern: " + pattern);
        }
    }

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw Errors.FieldValidation(_fields);
        }
    }
}
