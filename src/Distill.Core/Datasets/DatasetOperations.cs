namespace Distill.Core.Datasets;

/// <summary>The operations that make DatasetVersions, as stored in lineage.</summary>
public static class DatasetOperations
{
    public const string Import = "import";
    public const string CaptureSnapshot = "capture-snapshot";
    public const string Generate = "generate";
    public const string Filter = "filter";
    public const string ExactDedup = "exact-dedup";
    public const string NearDedup = "near-dedup";
    public const string RedactPii = "redact-pii";
    public const string Decontaminate = "decontaminate";
    public const string Split = "split";
    public const string Sample = "sample";
}

/// <summary>Where datasets live in blob storage; names are generated, never taken from user input.</summary>
public static class DatasetBlobs
{
    public const string Container = "datasets";
    public const string Uploads = "uploads";
}
