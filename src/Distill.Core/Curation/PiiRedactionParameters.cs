using System.Text.Json.Serialization;

namespace Distill.Core.Curation;

/// <summary>
/// PII redaction over every message's content and, unless turned off, tool-call arguments (a model's JSON carries
/// the same addresses and numbers as its prose). <see cref="Kinds"/> null means every kind.
/// </summary>
public sealed record PiiRedactionParameters(IReadOnlyList<PiiKind>? Kinds = null, bool IncludeToolArguments = true) : ICurationParameters
{
    [JsonIgnore]
    public string Operation => CurationOperations.PiiRedaction;

    [JsonIgnore]
    public IReadOnlyList<PiiKind> EffectiveKinds => Kinds ?? PiiKinds.All;

    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new ValidationErrors();
        errors.AddIf(Kinds is { Count: 0 }, "kinds", "must name at least one kind, or be left out for all of them");
        foreach (var kind in Kinds ?? [])
        {
            errors.AddIf(!Enum.IsDefined(kind), "kinds", $"{kind} is not a kind; known kinds: {string.Join(", ", PiiKinds.All)}");
        }

        return errors.ToDictionary();
    }
}
