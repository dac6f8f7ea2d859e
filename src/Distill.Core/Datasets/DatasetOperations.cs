using Distill.Core.Curation;

namespace Distill.Core.Datasets;

/// <summary>The operations that make DatasetVersions, as stored in lineage.</summary>
public static class DatasetOperations
{
    public const string Import = "import";
    public const string CaptureSnapshot = "capture-snapshot";
    public const string Generate = "generate";
    public const string Filter = CurationOperations.Filter;
    public const string ExactDedup = CurationOperations.ExactDedup;
    public const string NearDedup = CurationOperations.NearDedup;
    public const string RedactPii = CurationOperations.PiiRedaction;
    public const string Decontaminate = CurationOperations.Decontamination;
    public const string Split = CurationOperations.Split;
    public const string Sample = CurationOperations.Sample;
}

/// <summary>Where datasets live in blob storage; names are generated, never taken from user input.</summary>
public static class DatasetBlobs
{
    public const string Container = "datasets";
    public const string Uploads = "uploads";
}
