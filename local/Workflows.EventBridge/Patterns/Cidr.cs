using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Workflows.EventBridge.Patterns;

/// <summary>
/// A <c>cidr</c> block, IPv4 or IPv6 ("You can use IP address matching for IPv4 and IPv6 addresses"). An event value
/// matches when it is an address of the same family whose first prefix-length bits equal the block's.
/// Inferred: host bits set in the block's address are ignored, and a block without "/n" means the single address.
/// IPv4 text must be four dotted decimals: .NET's parser would otherwise read "10" as 0.0.0.10.
/// </summary>
internal sealed class Cidr
{
    private readonly byte[] _network;
    private readonly int _prefix;

    private Cidr(byte[] network, int prefix)
    {
        _network = network;
        _prefix = prefix;
    }

    public static Cidr? TryParse(string text, out string? error)
    {
        error = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!TryParseAddress(addressText, out var address))
        {
            error = $"Nonstandard IP address: {text}";
            return null;
        }

        var bytes = address!.GetAddressBytes();
        var max = bytes.Length * 8;
        var prefix = max;
        if (slash >= 0)
        {
            var prefixText = text[(slash + 1)..];
            if (prefixText.Length == 0 || prefixText.Length > 3 || !prefixText.All(char.IsAsciiDigit)
                || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > max)
            {
                error = $"Malformed CIDR, bad prefix length in {text}: must be 0 to {max}";
                return null;
            }
        }

        return new Cidr(bytes, prefix);
    }

    public bool Contains(string value)
    {
        if (!TryParseAddress(value, out var address))
        {
            return false;
        }

        var bytes = address!.GetAddressBytes();
        if (bytes.Length != _network.Length)
        {
            return false;
        }

        var full = _prefix / 8;
        for (var i = 0; i < full; i++)
        {
            if (bytes[i] != _network[i])
            {
                return false;
            }
        }

        var rest = _prefix % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (bytes[full] & mask) == (_network[full] & mask);
    }

    internal static bool TryParseAddress(string text, out IPAddress? address)
    {
        address = null;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            // Zone ids (fe80::1%eth0) are not addresses an event carries for matching.
            return !text.Contains('%', StringComparison.Ordinal)
                && IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit)
            || int.Parse(p, CultureInfo.InvariantCulture) > 255))
        {
            return false;
        }

        address = new IPAddress(parts.Select(p => byte.Parse(p, CultureInfo.InvariantCulture)).ToArray());
        return true;
    }
}
