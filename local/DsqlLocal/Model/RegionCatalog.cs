using System.Text.RegularExpressions;

namespace DsqlLocal.Model;

/// <summary>
/// The Regions where the emulated service runs, and which of them may serve as a witness. A Region outside the
/// catalog has no DSQL endpoint, so a real client cannot even connect there: the emulator drops the
/// connection (see <see cref="DsqlLocalOptions.UnknownRegion"/>) rather than answering as if the service ran.
/// </summary>
internal sealed partial class RegionCatalog
{
    /// <summary>
    /// Inferred: AWS publishes the list on its Regional availability page, which changes; this default is a
    /// snapshot of commercial Regions (configurable with --regions / "regions").
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultRegions =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1",
        "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
    ];

    private readonly HashSet<string> _regions;
    private readonly HashSet<string> _witnesses;

    public RegionCatalog(IEnumerable<string> regions, IEnumerable<string>? witnessRegions)
    {
        _regions = new HashSet<string>(regions, StringComparer.Ordinal);

        // Inferred: any Region of the catalog may witness unless a witness list is configured.
        _witnesses = new HashSet<string>(witnessRegions ?? _regions, StringComparer.Ordinal);
    }

    public bool Serves(string region) => _regions.Contains(region);

    public bool MayWitness(string region) => _witnesses.Contains(region);

    /// <summary>
    /// Region syntax, checked strictly: the whole value, so "us-east-1\n" is not a Region (a .NET "$" would
    /// match before a final newline, hence \z).
    /// </summary>
    public static bool IsRegionName(string? value) => value is not null && RegionName().IsMatch(value);

    [GeneratedRegex(@"\A[a-z]{2}(-[a-z]+)+-\d+\z")]
    private static partial Regex RegionName();
}
