using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Distill.Core.Curation;

/// <summary>
/// The patterns redaction uses, in precedence order: where two matches overlap, the earlier pattern wins (an IBAN's
/// digits are not also a card, an SSN is not also a phone number).
/// </summary>
public static class PiiPatterns
{
    private const string Octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";

    /// <remarks>
    /// Phone patterns never start right after another group of digits ("DE89 3704 0044 0532 ..." is not a phone
    /// number from the 0044 on): a number that continues a run of digit groups is part of something else.
    /// </remarks>
    public static IReadOnlyList<PiiPattern> Default { get; } =
    [
        PiiPattern.Create(
            PiiKind.Email,
            "email",
            @"(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-][\p{L}\p{N}._%+-]{0,63}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}_-])",
            hints: SearchValues.Create("@")),

        PiiPattern.Create(PiiKind.Iban, "iban", InternationalBankAccountNumber.Pattern(), InternationalBankAccountNumber.IsValid, extra: RegexOptions.IgnoreCase),

        // Cards are written either as one run of digits or in the networks' groups (4-4-4-4[-3], Amex 4-6-5, Diners
        // 4-6-4) with one kind of separator; anything else with 13+ digits is more likely a reference number.
        PiiPattern.Create(
            PiiKind.Card,
            "card",
            "(?<![0-9+])(?:[0-9]{13,19}|[0-9]{4}(?<s>[ -])[0-9]{4}\\k<s>[0-9]{4}\\k<s>[0-9]{4}(?:\\k<s>[0-9]{3})?|[0-9]{4}(?<a>[ -])[0-9]{6}\\k<a>[0-9]{4,5})(?![0-9])",
            PaymentCardNumber.IsValid),

        .. NationalIdPatterns.All,

        // Candidates for the address parser, which decides; at least two groups, so "::1" (loopback) stays.
        PiiPattern.Create(
            PiiKind.Ip,
            "ipv6",
            "(?<![A-Za-z0-9_:.])(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){7}|(?:[0-9A-Fa-f]{1,4}:){6}" + Octet + "(?:\\." + Octet + "){3}|[0-9A-Fa-f:]*::[0-9A-Fa-f:]*(?:" + Octet + "(?:\\." + Octet + "){3})?)(?![A-Za-z0-9_:.])",
            IsIPv6,
            SearchValues.Create(":")),

        // A dotted quad with every part at most 255 is an address even when it could be a version: leaking an address
        // costs more than blanking a version. A "v", "ver", "version" or "release" in front of it says it is a version.
        PiiPattern.Create(
            PiiKind.Ip,
            "ipv4",
            "(?<![A-Za-z0-9_.])(?<!\\b(?i:v|ver|version|release)[ :]*)" + Octet + "(?:\\." + Octet + "){3}(?![A-Za-z0-9_]|\\.[0-9])"),

        // International with a plus: the country code and 7 to 14 more digits (E.164 allows 15 in all), separated by
        // spaces, dots or dashes, possibly with the area code in parentheses.
        PiiPattern.Create(
            PiiKind.Phone,
            "phone-international",
            "(?<![0-9][ .-])(?<![A-Za-z0-9_+])\\+[1-9](?:[ .-]?\\(?[0-9]\\)?){6,14}(?![A-Za-z0-9_])",
            text => DigitCount(text) is >= 8 and <= 15 && ParenthesesAreOnePair(text)),

        // International with the 00 prefix; a bare run of digits starting 00 is as likely a reference, so a separator is required.
        PiiPattern.Create(
            PiiKind.Phone,
            "phone-international-00",
            "(?<![0-9][ .-])(?<![A-Za-z0-9_+])00[1-9](?:[ .-]?\\(?[0-9]\\)?){7,13}(?![A-Za-z0-9_])",
            text => DigitCount(text) is >= 10 and <= 17 && ParenthesesAreOnePair(text) && text.AsSpan().IndexOfAny(" .-(") >= 0),

        // North American: (415) 555-2671, 415-555-2671, 415.555.2671, 1-800-555-0199. Only with separators, and the same
        // separator throughout, so dates (2024-01-15) and plain numbers never match.
        PiiPattern.Create(
            PiiKind.Phone,
            "phone-nanp",
            "(?<![0-9][ .-])(?<![A-Za-z0-9_+.-])(?:1[ .-])?(?:\\([0-9]{3}\\)[ .-]?[0-9]{3}[ .-]|[0-9]{3}(?<s>[ .-])[0-9]{3}\\k<s>)[0-9]{4}(?![A-Za-z0-9_-]|\\.[0-9])"),

        // National numbers with a trunk 0 (never 00, the international prefix): 020 7946 0958, 07700 900123,
        // (030) 1234567, 01 23 45 67 89, 06-12345678. 9 to 12 digits with at least one separator, and one kind of
        // separator: 01.02.2024 (8 digits) and 01/02/2024 12 (two kinds) are dates, not numbers.
        PiiPattern.Create(
            PiiKind.Phone,
            "phone-national",
            "(?<![0-9][ .-])(?<![A-Za-z0-9_+./-])(?:\\(0[1-9][0-9]{0,3}\\)|0[1-9][0-9]{0,3})(?:[ ./-]?[0-9]{2,8}){1,4}(?![A-Za-z0-9_/-]|[.:][0-9])",
            IsNationalNumber),
    ];

    private static int DigitCount(string text) => text.Count(char.IsAsciiDigit);

    private static bool ParenthesesAreOnePair(string text)
    {
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.IndexOf(')', StringComparison.Ordinal);
        return open == text.LastIndexOf('(') && close == text.LastIndexOf(')') && (open < 0) == (close < 0) && open <= close;
    }

    private static bool IsNationalNumber(string text)
    {
        var parenthesised = text.StartsWith('(');
        var afterAreaCode = parenthesised ? text[(text.IndexOf(')') + 1)..].TrimStart(' ') : text;
        var separatorKinds = afterAreaCode.Where(c => c is ' ' or '.' or '/' or '-').Distinct().Count();
        return DigitCount(text) is >= 9 and <= 12 && (separatorKinds == 1 || parenthesised && separatorKinds == 0);
    }

    private static bool IsIPv6(string text) =>
        IPAddress.TryParse(text, out var address)
        && address.AddressFamily == AddressFamily.InterNetworkV6
        && text.Split(':', '.').Count(part => part.Length > 0) >= 2;
}
