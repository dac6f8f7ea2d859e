namespace Distill.Core.Curation;

/// <summary>The names operations are stored under in lineage, next to their parameters' JSON.</summary>
public static class CurationOperations
{
    public const string ExactDedup = "exact-dedup";
    public const string NearDedup = "near-dedup";
    public const string PiiRedaction = "pii-redaction";
    public const string Decontamination = "decontamination";
    public const string Split = "split";
    public const string Sample = "sample";
    public const string Filter = "filter";
}
