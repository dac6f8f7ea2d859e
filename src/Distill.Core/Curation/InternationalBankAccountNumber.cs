namespace Distill.Core.Curation;

/// <summary>IBANs: a country's fixed length, and the ISO 7064 mod-97 check that every real IBAN passes.</summary>
public static class InternationalBankAccountNumber
{
    /// <summary>The length of an IBAN per country (SWIFT's IBAN registry); a country missing here is not recognised.</summary>
    public static IReadOnlyDictionary<string, int> Lengths { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22,
        ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18, ["DO"] = 28,
        ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23,
        ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26,
        ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20,
        ["LV"] = 21, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18,
        ["NO"] = 15, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["SA"] = 24,
        ["SC"] = 31, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["ST"] = 25, ["SV"] = 28, ["TL"] = 23, ["TN"] = 24,
        ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
    };

    /// <summary>
    /// One alternative per IBAN length, listing its countries, so an IBAN followed by another word or number is cut
    /// where the country says it ends rather than where the regex would stop. Spaces between characters are allowed.
    /// </summary>
    public static string Pattern()
    {
        var byLength = Lengths
            .GroupBy(c => c.Value)
            .OrderBy(g => g.Key)
            .Select(g => $"(?:{string.Join("|", g.Select(c => c.Key).Order(StringComparer.Ordinal))})[0-9]{{2}}(?:[ ]?[A-Z0-9]){{{g.Key - 4}}}");
        return $"(?<![A-Za-z0-9])(?:{string.Join("|", byLength)})(?![A-Za-z0-9])";
    }

    public static bool IsValid(string text)
    {
        var iban = text.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (iban.Length < 5 || !Lengths.TryGetValue(iban[..2], out var length) || iban.Length != length)
        {
            return false;
        }

        // ISO 7064 MOD 97-10: the country and check digits move to the end, letters become 10..35, the number mod 97 is 1.
        var remainder = 0;
        foreach (var c in iban[4..] + iban[..4])
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetterUpper(c) ? c - 'A' + 10 : -1;
            if (value < 0)
            {
                return false;
            }

            remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
        }

        return remainder == 1;
    }
}
