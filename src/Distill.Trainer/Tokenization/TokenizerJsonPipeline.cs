using System.Text.Json;
using System.Text.RegularExpressions;
using static Distill.Trainer.Tokenization.TokenizerJsonReader;

namespace Distill.Trainer.Tokenization;

/// <summary>The normaliser, pre-tokeniser, decoder and post-processor parts of a byte-level <c>tokenizer.json</c>.</summary>
internal static class TokenizerJsonPipeline
{
    /// <summary>GPT-2's split, used when a ByteLevel pre-tokeniser has <c>use_regex</c> on.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>True for NFC; false for no normaliser.</summary>
    public static bool ReadNormalizer(JsonElement root)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        var steps = Flatten(normalizer, "normalizers", "normalizer").ToList();
        foreach (var (step, field) in steps)
        {
            var type = OptionalString(step, "type");
            if (type != "NFC")
            {
                throw Refuse($"{field}.type is '{type}', and only NFC normalisation is mapped");
            }
        }

        return steps.Count > 0;
    }

    public static List<string> ReadPreTokenizer(JsonElement root)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var preTokenizer) || preTokenizer.ValueKind == JsonValueKind.Null)
        {
            throw Refuse("pre_tokenizer is missing, so this is not a byte-level BPE tokenizer");
        }

        var patterns = new List<string>();
        var sawByteLevel = false;
        foreach (var (step, field) in Flatten(preTokenizer, "pretokenizers", "pre_tokenizer"))
        {
            if (sawByteLevel)
            {
                throw Refuse($"{field} comes after the ByteLevel step, where it would see byte-level symbols; Distill maps only splits before it");
            }

            var type = OptionalString(step, "type");
            switch (type)
            {
                case "ByteLevel":
                    if (OptionalBool(step, "add_prefix_space", false))
                    {
                        throw Refuse($"{field}.add_prefix_space is true, which Distill does not map");
                    }

                    if (OptionalBool(step, "use_regex", true))
                    {
                        patterns.Add(Gpt2Pattern);
                    }

                    sawByteLevel = true;
                    break;
                case "Split":
                    patterns.Add(ReadSplit(step, field));
                    break;
                case "Digits":
                    patterns.Add(OptionalBool(step, "individual_digits", false) ? @"\p{N}" : @"\p{N}+");
                    break;
                default:
                    throw Refuse($"{field}.type is '{type}', and only ByteLevel, Split and Digits are mapped");
            }
        }

        if (!sawByteLevel)
        {
            throw Refuse("pre_tokenizer has no ByteLevel step, so this is not a byte-level BPE tokenizer");
        }

        foreach (var pattern in patterns)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException ex)
            {
                throw Refuse($"pre_tokenizer pattern '{pattern}' is not a valid .NET regex ({ex.Message})");
            }
        }

        return patterns;
    }

    public static void CheckDecoder(JsonElement root)
    {
        var decoder = Required(root, "decoder", "decoder");
        foreach (var (step, field) in Flatten(decoder, "decoders", "decoder"))
        {
            var type = OptionalString(step, "type");
            if (type != "ByteLevel")
            {
                throw Refuse($"{field}.type is '{type}', and only the ByteLevel decoder is mapped");
            }
        }
    }

    /// <summary>Whether encoding with special tokens puts one before the text, as Llama 3's TemplateProcessing does.</summary>
    public static bool? ReadPostProcessor(JsonElement root)
    {
        if (!root.TryGetProperty("post_processor", out var processor) || processor.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        bool? addsBos = null;
        foreach (var (step, field) in Flatten(processor, "processors", "post_processor"))
        {
            var type = OptionalString(step, "type");
            switch (type)
            {
                case "ByteLevel":
                    break;
                case "TemplateProcessing":
                    var single = Required(step, "single", $"{field}.single");
                    addsBos = single.ValueKind == JsonValueKind.Array && single.GetArrayLength() > 0 && single[0].TryGetProperty("SpecialToken", out _);
                    break;
                default:
                    throw Refuse($"{field}.type is '{type}', and only ByteLevel and TemplateProcessing post-processors are mapped");
            }
        }

        return addsBos;
    }

    private static string ReadSplit(JsonElement step, string field)
    {
        var behavior = OptionalString(step, "behavior");
        if (behavior != "Isolated")
        {
            throw Refuse($"{field}.behavior is '{behavior}', and only Isolated is mapped");
        }

        if (OptionalBool(step, "invert", false))
        {
            throw Refuse($"{field}.invert is true, which Distill does not map");
        }

        var pattern = Required(step, "pattern", $"{field}.pattern");
        return OptionalString(pattern, "Regex") is { } regex ? regex
            : OptionalString(pattern, "String") is { } literal ? Regex.Escape(literal)
            : throw Malformed($"{field}.pattern has neither Regex nor String");
    }

    /// <summary>Unrolls nested <c>Sequence</c> steps into their leaves, each with the path that names it in errors.</summary>
    private static IEnumerable<(JsonElement Step, string Field)> Flatten(JsonElement element, string listName, string field)
    {
        if (OptionalString(element, "type") != "Sequence")
        {
            yield return (element, field);
            yield break;
        }

        var items = Required(element, listName, $"{field}.{listName}");
        var index = 0;
        foreach (var item in items.EnumerateArray())
        {
            foreach (var leaf in Flatten(item, listName, $"{field}.{listName}[{index}]"))
            {
                yield return leaf;
            }

            index++;
        }
    }
}
