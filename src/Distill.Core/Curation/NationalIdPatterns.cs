namespace Distill.Core.Curation;

/// <summary>
/// National identity numbers, all redacted as [NATIONAL_ID]. To support another country, add a line: a regex that
/// cannot run into neighbouring letters or digits, and a check when the number has one.
/// </summary>
public static class NationalIdPatterns
{
    public static IReadOnlyList<PiiPattern> All { get; } =
    [
        // US Social Security number, ddd-dd-dddd. Never issued: area 000, 666 and 900-999, group 00, serial 0000.
        PiiPattern.Create(
            PiiKind.NationalId,
            "us-ssn",
            "(?<![A-Za-z0-9-])(?!000|666|9[0-9]{2})[0-9]{3}-(?!00)[0-9]{2}-(?!0000)[0-9]{4}(?![A-Za-z0-9]|-[0-9])"),

        // UK National Insurance number, AB 12 34 56 C: D, F, I, Q, U, V never start it, O is not second, BG, GB, KN,
        // NK, NT, TN and ZZ are not allocated, and the suffix is A to D. Spaced or not, but spaced consistently.
        PiiPattern.Create(
            PiiKind.NationalId,
            "uk-nino",
            "(?<![A-Za-z0-9])(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z](?<s> ?)[0-9]{2}\\k<s>[0-9]{2}\\k<s>[0-9]{2}\\k<s>[A-D](?![A-Za-z0-9])"),
    ];
}
