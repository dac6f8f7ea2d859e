using System.Text.Json.Serialization;

namespace Distill.Core.Curation;

/// <summary>
/// Exact deduplication: examples whose normalised text is the same are one example. <see cref="Scope"/> = Prompt
/// keeps one answer per question.
/// </summary>
public sealed record ExactDedupParameters(TextScope Scope = TextScope.Example) : ICurationParameters
{
    [JsonIgnore]
    public string Operation => CurationOperations.ExactDedup;

    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new ValidationErrors();
        errors.AddIf(!Enum.IsDefined(Scope), "scope", $"must be Example, Prompt or Completion, not {Scope}");
        return errors.ToDictionary();
    }
}
