using System.Globalization;

namespace Distill.Core.Imports;

internal static class ByteSizes
{
    /// <summary>A limit as the user set it: "8 MiB", "512 KiB", "1000 bytes".</summary>
    public static string Describe(long bytes) =>
        bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 20} MiB")
        : bytes >= 1 << 10 && bytes % (1 << 10) == 0 ? string.Create(CultureInfo.InvariantCulture, $"{bytes >> 10} KiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
}
