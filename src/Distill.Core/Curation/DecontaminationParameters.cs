using System.Text.Json.Serialization;
using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>
/// Decontamination: items of the <see cref="TargetSplits"/> (train by default) are removed when their prompt (or whole
/// example, by <see cref="Scope"/>) is a near duplicate, at MinHash Jaccard ≥ <see cref="Threshold"/>, of any example
/// of the evaluation set: the items of <see cref="EvaluationSplit"/> plus any evaluation records given to the run.
/// With <see cref="NgramOverlap"/>, sharing any <see cref="NgramSize"/>-word sequence with an evaluation example also
/// removes an item (the GPT-3 paper's test); it is off by default because any stock sentence of 13 words shared by
/// prompts and evaluation examples would remove every item that carries it. System and developer turns are left out
/// unless asked for: a system prompt shared with the evaluation set is configuration, not leaked content.
/// </summary>
public sealed record DecontaminationParameters(
    double Threshold = 0.8,
    TextScope Scope = TextScope.Prompt,
    bool IncludeSystemMessages = false,
    string? EvaluationSplit = DatasetSplits.Test,
    IReadOnlyList<string>? TargetSplits = null,
    bool NgramOverlap = false,
    int NgramSize = 13,
    int ShingleSize = 5,
    int Permutations = 128,
    long Seed = 1) : ICurationParameters
{
    public const int MinNgramSize = 3;
    public const int MaxNgramSize = 50;

    [JsonIgnore]
    public string Operation => CurationOperations.Decontamination;

    [JsonIgnore]
    public IReadOnlyList<string> EffectiveTargetSplits => TargetSplits ?? [DatasetSplits.Train];

    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new ValidationErrors();
        MinHashSettings.Validate(errors, Threshold, Scope, ShingleSize, Permutations);
        errors.AddIf(TargetSplits is { Count: 0 }, "targetSplits", "must name at least one split, or be left out for train");
        foreach (var split in TargetSplits ?? [])
        {
            errors.AddIf(!DatasetSplits.All.Contains(split), "targetSplits", $"'{split}' is not a split; splits are {string.Join(", ", DatasetSplits.All)}");
        }

        if (EvaluationSplit is not null)
        {
            errors.AddIf(!DatasetSplits.All.Contains(EvaluationSplit), "evaluationSplit", $"'{EvaluationSplit}' is not a split; splits are {string.Join(", ", DatasetSplits.All)}");
            errors.AddIf(EffectiveTargetSplits.Contains(EvaluationSplit), "evaluationSplit", $"'{EvaluationSplit}' cannot be both the evaluation split and a target split");
        }

        errors.AddIf(NgramSize is < MinNgramSize or > MaxNgramSize, "ngramSize", $"must be between {MinNgramSize} and {MaxNgramSize}, not {NgramSize}");
        return errors.ToDictionary();
    }

    internal MinHashSettings Sketch => new(Scope, IncludeSystemMessages, ShingleSize, Permutations, Seed);
}
