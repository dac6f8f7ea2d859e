using System.Text.Json.Serialization;

namespace Distill.Core.Curation;

/// <summary>The kinds of personal data redaction finds; each has its own placeholder so a student learns the shape, not the value.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PiiKind>))]
public enum PiiKind
{
    Email,
    Phone,
    Card,
    Iban,
    Ip,
    NationalId,
}

public static class PiiKinds
{
    public static IReadOnlyList<PiiKind> All { get; } = Enum.GetValues<PiiKind>();

    public static string Placeholder(this PiiKind kind) => kind switch
    {
        PiiKind.Email => "[EMAIL]",
        PiiKind.Phone => "[PHONE]",
        PiiKind.Card => "[CARD]",
        PiiKind.Iban => "[IBAN]",
        PiiKind.Ip => "[IP]",
        PiiKind.NationalId => "[NATIONAL_ID]",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The name a kind is counted under in lineage tallies.</summary>
    public static string TallyName(this PiiKind kind) => kind switch
    {
        PiiKind.NationalId => "national_id",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
