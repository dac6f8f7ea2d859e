namespace Distill.Core.Curation;

/// <summary>Why an item was dropped; these strings are stored as lineage, so they never change once shipped.</summary>
public static class CurationReasons
{
    public const string ExactDuplicate = "exact-duplicate";
    public const string NearDuplicate = "near-duplicate";
    public const string EvaluationNearDuplicate = "evaluation-near-duplicate";
    public const string EvaluationNgramOverlap = "evaluation-ngram-overlap";
    public const string NotSampled = "not-sampled";
    public const string Metadata = "metadata";
    public const string Length = "length";
    public const string CreatedAt = "created-at";
    public const string ScoreOutOfRange = "score-out-of-range";
    public const string ScoreMissing = "score-missing";
    public const string ScoreNotNumeric = "score-not-numeric";
}
