using System.Globalization;
using System.Text.RegularExpressions;

namespace Workflows.WebConsole.Tests;

/// <summary>The stylesheet's text colours against the backgrounds they are drawn on: WCAG AA, 4.5:1 at least.</summary>
public sealed class ContrastTests
{
    private static readonly string Css = Resources.Text("console.css");

    // (text, background): the pairs the stylesheet draws, by custom property or literal colour.
    public static TheoryData<string, string> Pairs() => new()
    {
        { "--text", "--background" }, { "--muted", "--background" }, { "--text", "--panel" }, { "--muted", "--panel" },
        { "--link", "--background" }, { "--ok", "--background" }, { "--bad", "--background" }, { "--caught", "--background" },
        { "--retried", "--background" }, { "--running", "--background" }, { "--link", "--panel" },
        { "#ffffff", "#1b2a3a" }, { "#dfe6ee", "#1b2a3a" }, { "#ffffff", "--link" }, { "#4a5360", "#e4e8ec" },
        // Each outcome's label colour and the muted type on that outcome's fill.
        { "--running", "#e6f0fb" }, { "--muted", "#e6f0fb" }, { "--ok", "#e8f5ec" }, { "--muted", "#e8f5ec" },
        { "--bad", "#fdecee" }, { "--muted", "#fdecee" }, { "--caught", "#fdf2e3" }, { "--muted", "#fdf2e3" },
        { "--retried", "#f1ebfa" }, { "--muted", "#f1ebfa" }, { "--muted", "#f7f9fb" },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Stylesheet_TextOnBackground_AtLeastFourAndAHalf(string text, string background)
    {
        Css.Should().Contain("#e6f0fb").And.Contain("#f1ebfa", "the outcome fills checked here are the stylesheet's");

        var ratio = Ratio(Colour(text), Colour(background));

        ratio.Should().BeGreaterThanOrEqualTo(4.5, $"{text} on {background}");
    }

    private static string Colour(string name)
    {
        if (name.StartsWith('#'))
        {
            return name;
        }

        var m = Regex.Match(Css, Regex.Escape(name) + @":\s*(#[0-9a-fA-F]{6})");
        m.Success.Should().BeTrue($"{name} is declared in console.css");
        return m.Groups[1].Value;
    }

    private static double Ratio(string a, string b)
    {
        var (la, lb) = (Luminance(a), Luminance(b));
        return (Math.Max(la, lb) + 0.05) / (Math.Min(la, lb) + 0.05);
    }

    private static double Luminance(string hex)
    {
        double Channel(int i)
        {
            var c = int.Parse(hex.AsSpan(1 + (2 * i), 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(0)) + (0.7152 * Channel(1)) + (0.0722 * Channel(2));
    }
}
