using System.Text.Json.Serialization;

namespace Distill.Core.Curation;

/// <summary>How a candidate pair that LSH proposed is confirmed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NearDuplicateVerification>))]
public enum NearDuplicateVerification
{
    /// <summary>The true Jaccard similarity of the two shingle sets; a pair just above the threshold is never lost to estimation noise.</summary>
    Exact,

    /// <summary>The share of equal MinHash values: faster, but a pair at the threshold passes about half the time.</summary>
    Estimated,
}

/// <summary>
/// Near-duplicate removal. The default threshold 0.95 over character 5-gram shingles of the case-folded text with
/// punctuation and whitespace folded away means "the same text with a few small edits": one typo in a 150-word answer
/// changes at most 5 of ~900 shingles (Jaccard ~0.99), while two answers that share a template but differ in a sentence
/// or two stay well below. System and developer turns are left out unless asked for, because a long system prompt
/// shared by every example would otherwise make unrelated examples look alike.
/// </summary>
public sealed record NearDedupParameters(
    double Threshold = 0.95,
    TextScope Scope = TextScope.Example,
    bool IncludeSystemMessages = false,
    int ShingleSize = 5,
    int Permutations = 128,
    long Seed = 1,
    NearDuplicateVerification Verification = NearDuplicateVerification.Exact) : ICurationParameters
{
    [JsonIgnore]
    public string Operation => CurationOperations.NearDedup;

    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new ValidationErrors();
        MinHashSettings.Validate(errors, Threshold, Scope, ShingleSize, Permutations);
        errors.AddIf(!Enum.IsDefined(Verification), "verification", $"must be Exact or Estimated, not {Verification}");
        return errors.ToDictionary();
    }

    internal MinHashSettings Sketch => new(Scope, IncludeSystemMessages, ShingleSize, Permutations, Seed);
}
