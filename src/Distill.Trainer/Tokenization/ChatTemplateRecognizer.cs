using System.Text.RegularExpressions;

namespace Distill.Trainer.Tokenization;

/// <summary>
/// Tells a chat template's family from the literal markers it writes. Exactly one family must match; variants
/// whose output differs from what Distill renders are refused by name rather than approximated.
/// </summary>
internal static partial class ChatTemplateRecognizer
{
    private sealed record Family(ChatTemplateFamily Id, string Name, string[] Markers, string[] Absent);

    private static readonly Family[] Families =
    [
        new(ChatTemplateFamily.ChatMl, "ChatML", ["<|im_start|>", "<|im_end|>"], []),
        new(ChatTemplateFamily.Llama3, "Llama 3", ["<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"], []),
        new(ChatTemplateFamily.Llama2, "Llama 2", ["[INST]", "[/INST]", "<<SYS>>"], []),
        new(ChatTemplateFamily.Mistral, "Mistral", ["[INST]", "[/INST]"], ["<<SYS>>"]),
        new(ChatTemplateFamily.Phi3, "Phi-3", ["<|assistant|>", "<|end|>"], []),
    ];

    private static readonly (string Marker, string Why)[] Variants =
    [
        ("Cutting Knowledge Date", "a Llama 3.1+ template, which adds a dated system preamble"),
        ("<think>", "a reasoning template, which adds <think> blocks"),
        ("<|im_sep|>", "Phi-4's ChatML variant, which separates roles with <|im_sep|>"),
    ];

    /// <param name="source">The file the template came from, prefixed to errors; null for none.</param>
    public static ChatTemplateFamily Recognize(string template, string? source)
    {
        var prefix = source is null ? "" : $"{source}: ";
        foreach (var (marker, why) in Variants)
        {
            if (template.Contains(marker, StringComparison.Ordinal))
            {
                throw new NotSupportedException($"{prefix}chat_template is {why} (it contains '{marker}'), which Distill does not render.");
            }
        }

        var matches = Families
            .Where(f => f.Markers.All(m => template.Contains(m, StringComparison.Ordinal)) && !f.Absent.Any(m => template.Contains(m, StringComparison.Ordinal)))
            .ToArray();

        if (matches.Length == 0)
        {
            var lookedFor = string.Join("; ", Families.Select(f => $"{f.Name}: {string.Join(", ", f.Markers)}{(f.Absent.Length > 0 ? $" without {string.Join(", ", f.Absent)}" : "")}"));
            throw new NotSupportedException($"{prefix}chat_template matches no family Distill renders (looked for {lookedFor}).");
        }

        if (matches.Length > 1)
        {
            throw new NotSupportedException($"{prefix}chat_template has the markers of both {matches[0].Name} and {matches[1].Name}, so its family is ambiguous.");
        }

        if (matches[0].Id == ChatTemplateFamily.Mistral && !MistralV2Layout().IsMatch(template))
        {
            throw new NotSupportedException($"{prefix}chat_template is a Mistral template without the v0.2 layout (' [INST] ' with a leading space), and other Mistral layouts are not rendered.");
        }

        return matches[0].Id;
    }

    /// <summary>The system prompt a ChatML template writes when the conversation has none (Qwen2, SmolLM2), if any.</summary>
    public static string? DefaultSystemPrompt(string template)
    {
        var match = DefaultSystem().Match(template);
        return match.Success ? Unescape(match.Groups["prompt"].Value) : null;
    }

    // Jinja string escapes as the templates use them.
    private static string Unescape(string literal) => JinjaEscape().Replace(literal, m => m.Groups[1].Value switch
    {
        "n" => "\n",
        "t" => "\t",
        var other => other,
    });

    [GeneratedRegex("""['"] \[INST\] ['"]""")]
    private static partial Regex MistralV2Layout();

    [GeneratedRegex("""<\|im_start\|>system\\n(?<prompt>[^'"{}]*?)<\|im_end\|>""")]
    private static partial Regex DefaultSystem();

    [GeneratedRegex(@"\\(.)")]
    private static partial Regex JinjaEscape();
}
