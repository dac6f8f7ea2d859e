using System.Globalization;
using Distill.Web.Datasets;
using MudBlazor;

namespace Distill.Web.Components.Datasets;

/// <summary>How versions read on pages: the same words and colours everywhere.</summary>
public static class DatasetText
{
    public static Color StatusColor(string status) => status switch
    {
        "ready" => Color.Success,
        "failed" => Color.Error,
        _ => Color.Info,
    };

    /// <summary>Enough of a sha256 to tell versions apart at a glance; the whole one is in the tooltip.</summary>
    public static string HashPrefix(string? hash) => hash is null ? "—" : hash[..Math.Min(12, hash.Length)];

    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    public static string Counts(long? before, long after) =>
        before is { } b ? $"{Count(b)} → {Count(after)}" : Count(after);

    public static string Name(VersionView version) => $"v{version.Number}";

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.##} GiB",
    };
}
