using System.Text.RegularExpressions;

namespace Distill.Teachers;

/// <summary>
/// Masks anything in a service's error text that looks like a key or token. Services do echo keys (OpenAI's 401
/// names the key it got, partly masked), and our messages end up in logs, job rows and the browser.
/// </summary>
internal static partial class SecretRedaction
{
    public static string Redact(string text) => SecretLike().Replace(text, m => m.Value.Any(char.IsDigit) && m.Value.Any(char.IsLetter) ? "[redacted]" : m.Value);

    // Keys are long runs of letters, digits and - _ . * (OpenAI: sk-… of 50+, Azure: 32 or 84 characters, JWTs with dots); shorter runs are model names and the like.
    [GeneratedRegex(@"[A-Za-z0-9_\-\.\*]{32,}")]
    private static partial Regex SecretLike();
}
