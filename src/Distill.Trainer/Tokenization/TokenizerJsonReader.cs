using System.Text.Json;

namespace Distill.Trainer.Tokenization;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> holding a byte-level BPE model. Every field that could change how text
/// becomes ids is either mapped or refused with a message naming it; nothing is skipped silently.
/// </summary>
internal static class TokenizerJsonReader
{
    public const string FileName = "tokenizer.json";

    public static ByteLevelBpeSpec Read(string path)
    {
        using var document = ParseDocument(path);
        var root = document.RootElement;
        var model = Required(root, "model", "model");

        var type = OptionalString(model, "type");
        if (type != "BPE")
        {
            throw Refuse($"model.type is '{type ?? "missing"}', but only byte-level BPE models can be loaded from it (SentencePiece checkpoints need tokenizer.model)");
        }

        CheckModelOptions(model);
        var vocab = ReadVocab(Required(model, "vocab", "model.vocab"));
        var merges = ReadMerges(Required(model, "merges", "model.merges"));
        var addedTokens = ReadAddedTokens(root);
        var nfc = TokenizerJsonPipeline.ReadNormalizer(root);
        var splits = TokenizerJsonPipeline.ReadPreTokenizer(root);
        TokenizerJsonPipeline.CheckDecoder(root);
        var addsBos = TokenizerJsonPipeline.ReadPostProcessor(root);
        CheckByteAlphabet(vocab);

        var ignoreMerges = model.TryGetProperty("ignore_merges", out var ignore) && ignore.ValueKind == JsonValueKind.True;
        return new ByteLevelBpeSpec(vocab, merges, addedTokens, nfc, splits, ignoreMerges, addsBos);
    }

    /// <summary>Only the added tokens, for SentencePiece checkpoints that ship a tokenizer.json beside tokenizer.model.</summary>
    public static List<AddedToken> ReadAddedTokens(string path)
    {
        using var document = ParseDocument(path);
        return ReadAddedTokens(document.RootElement);
    }

    internal static Exception Refuse(string what) => new NotSupportedException($"{FileName}: {what}.");

    internal static Exception Malformed(string what) => new InvalidDataException($"{FileName}: {what}.");

    internal static JsonElement Required(JsonElement parent, string name, string field) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw Malformed($"{field} is missing");

    internal static string? OptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static bool OptionalBool(JsonElement parent, string name, bool fallback) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : fallback;

    private static JsonDocument ParseDocument(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{FileName}: the file is not valid JSON ({ex.Message}).", ex);
        }
    }

    private static void CheckModelOptions(JsonElement model)
    {
        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() != 0)
        {
            throw Refuse("model.dropout is set, and BPE dropout makes tokenisation random");
        }

        foreach (var field in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (!string.IsNullOrEmpty(OptionalString(model, field)))
            {
                throw Refuse($"model.{field} is set, which byte-level BPE does not use and Distill does not map");
            }
        }
    }

    private static Dictionary<string, int> ReadVocab(JsonElement vocab)
    {
        if (vocab.ValueKind != JsonValueKind.Object)
        {
            throw Malformed("model.vocab is not an object of token to id");
        }

        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
            {
                throw Malformed($"model.vocab entry '{entry.Name}' has no non-negative integer id");
            }

            if (!result.TryAdd(entry.Name, id))
            {
                throw Malformed($"model.vocab lists '{entry.Name}' twice");
            }
        }

        return result;
    }

    private static List<string> ReadMerges(JsonElement merges)
    {
        if (merges.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("model.merges is not an array");
        }

        var result = new List<string>(merges.GetArrayLength());
        foreach (var merge in merges.EnumerateArray())
        {
            // Older files write "left right"; newer ones ["left", "right"] so that tokens may hold spaces.
            var (left, right) = merge.ValueKind switch
            {
                JsonValueKind.String when merge.GetString()!.Split(' ') is [var l, var r] => (l, r),
                JsonValueKind.Array when merge.GetArrayLength() == 2 && merge.EnumerateArray().All(m => m.ValueKind == JsonValueKind.String)
                    => (merge[0].GetString(), merge[1].GetString()),
                _ => (null, null),
            };

            if (string.IsNullOrEmpty(left) || string.IsNullOrEmpty(right))
            {
                throw Malformed($"model.merges entry {result.Count} is neither \"left right\" nor [\"left\", \"right\"]");
            }

            if (left.Contains(' ') || right.Contains(' '))
            {
                throw Refuse($"model.merges entry {result.Count} has a token containing a space, which Microsoft.ML.Tokenizers' merge format cannot express");
            }

            result.Add($"{left} {right}");
        }

        return result;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root)
    {
        var result = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var added) || added.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (added.ValueKind != JsonValueKind.Array)
        {
            throw Malformed("added_tokens is not an array");
        }

        foreach (var token in added.EnumerateArray())
        {
            if (!Required(token, "id", "added_tokens[].id").TryGetInt32(out var id) || id < 0)
            {
                throw Malformed($"added_tokens entry {result.Count} has no non-negative integer id");
            }

            result.Add(AddedTokenJson.Read(token, id, FileName, "added_tokens"));
        }

        return result;
    }

    private static void CheckByteAlphabet(Dictionary<string, int> vocab)
    {
        // Microsoft.ML.Tokenizers drops characters it cannot find instead of failing, so a gap here would lose text.
        for (var b = 0; b < 256; b++)
        {
            var symbol = ByteLevelAlphabet.CharOf((byte)b).ToString();
            if (!vocab.ContainsKey(symbol))
            {
                throw Refuse($"model.vocab lacks the byte-level symbol '{symbol}' for byte 0x{b:X2}, so it is not a complete byte-level vocabulary");
            }
        }
    }
}
