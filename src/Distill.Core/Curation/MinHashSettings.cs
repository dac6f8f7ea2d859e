namespace Distill.Core.Curation;

/// <summary>What makes two MinHash signatures comparable: both sides of a comparison must be sketched with the same settings.</summary>
internal sealed record MinHashSettings(TextScope Scope, bool IncludeSystemMessages, int ShingleSize, int Permutations, long Seed)
{
    public const int MinShingleSize = 1;
    public const int MaxShingleSize = 32;
    public const int MinPermutations = 16;
    public const int MaxPermutations = 1024;

    public static void Validate(ValidationErrors errors, double threshold, TextScope scope, int shingleSize, int permutations)
    {
        errors.AddIf(!(threshold is > 0 and <= 1), "threshold", $"must be greater than 0 and at most 1, not {threshold}");
        errors.AddIf(!Enum.IsDefined(scope), "scope", $"must be Example, Prompt or Completion, not {scope}");
        errors.AddIf(shingleSize is < MinShingleSize or > MaxShingleSize, "shingleSize", $"must be between {MinShingleSize} and {MaxShingleSize}, not {shingleSize}");
        errors.AddIf(permutations is < MinPermutations or > MaxPermutations, "permutations", $"must be between {MinPermutations} and {MaxPermutations}, not {permutations}");
    }
}
