using System.Buffers;
using System.Text.RegularExpressions;

namespace Distill.Core.Curation;

/// <summary>
/// One way a kind of personal data is written. The regex finds candidates; <see cref="IsValid"/> applies what a
/// regex cannot (check digits, digit counts, consistent separators). A text without any <see cref="Hints"/> character
/// is not searched at all, which keeps redaction of long answers without digits cheap.
/// </summary>
public sealed record PiiPattern(PiiKind Kind, string Name, Regex Regex, SearchValues<char> Hints, Func<string, bool>? IsValid = null)
{
    public static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    public const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>A bound on any one search, so a pathological text fails the job instead of hanging it.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static PiiPattern Create(PiiKind kind, string name, string pattern, Func<string, bool>? isValid = null, SearchValues<char>? hints = null, RegexOptions extra = RegexOptions.None) =>
        new(kind, name, new Regex(pattern, Options | extra, Timeout), hints ?? Digits, isValid);
}
