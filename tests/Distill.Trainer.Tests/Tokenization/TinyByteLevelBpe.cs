using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Distill.Trainer.Tests.Tokenization;

/// <summary>
/// A small Llama-3-shaped byte-level BPE tokenizer.json: 256 byte symbols, merges learned over a short corpus, then
/// the special tokens as added tokens.
/// </summary>
internal sealed class TinyByteLevelBpe
{
    public const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    public static readonly string[] Specials =
        ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|begin_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"];

    public const string Corpus = """
        Hello there! How are you? I'm fine, thanks. The quick brown fox jumps over the lazy dog.
        You are a helpful assistant. You are terse. Hello, hello, hello world. The world is wide.
        Numbers like 123 and 4567 appear too. Café au lait, naïve façade, crème brûlée.
        日本語のテキスト and emoji 🎉 are here. Thanks for the help; the answer is fine.
        """;

    public TinyByteLevelBpe(int merges = 300, string corpus = Corpus)
    {
        var words = Regex.Matches(corpus, Llama3Pattern)
            .Select(m => GptBytes.Spell(m.Value))
            .GroupBy(w => w)
            .Select(g => (g.Key.Select(c => c.ToString()).ToList(), g.Count()));
        Merges = BpeTrainer.Learn(words, merges);
        Vocab = GptBytes.Chars.Select(c => c.ToString()).Concat(Merges.Select(m => m.Left + m.Right)).Distinct().ToList();
    }

    /// <summary>Tokens by id; the added tokens follow at <see cref="Vocab"/>.Count onwards.</summary>
    public List<string> Vocab { get; }

    public List<(string Left, string Right)> Merges { get; }

    public int SpecialId(string special) => Vocab.Count + Array.IndexOf(Specials, special);

    public JsonObject TokenizerJson(bool mergesAsArrays = false, bool ignoreMerges = false)
    {
        var vocab = new JsonObject();
        for (var id = 0; id < Vocab.Count; id++)
        {
            vocab[Vocab[id]] = id;
        }

        var merges = new JsonArray(Merges.Select(m => mergesAsArrays ? (JsonNode)new JsonArray(m.Left, m.Right) : JsonValue.Create($"{m.Left} {m.Right}")).ToArray());
        var added = new JsonArray(Specials.Select(s => (JsonNode)new JsonObject
        {
            ["id"] = SpecialId(s),
            ["content"] = s,
            ["single_word"] = false,
            ["lstrip"] = false,
            ["rstrip"] = false,
            ["normalized"] = false,
            ["special"] = true,
        }).ToArray());

        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = Llama3Pattern },
                        ["behavior"] = "Isolated",
                        ["invert"] = false,
                    },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
            },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["processors"] = new JsonArray(
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = false, ["use_regex"] = true },
                    new JsonObject
                    {
                        ["type"] = "TemplateProcessing",
                        ["single"] = new JsonArray(
                            new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "<|begin_of_text|>", ["type_id"] = 0 } },
                            new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
                    }),
            },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = true, ["trim_offsets"] = true, ["use_regex"] = true },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["dropout"] = null,
                ["unk_token"] = null,
                ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null,
                ["fuse_unk"] = false,
                ["byte_fallback"] = false,
                ["ignore_merges"] = ignoreMerges,
                ["vocab"] = vocab,
                ["merges"] = merges,
            },
        };
    }

    public static JsonObject Config(string? chatTemplate = null, string bos = "<|begin_of_text|>", string eos = "<|eot_id|>") => new()
    {
        ["bos_token"] = bos,
        ["eos_token"] = eos,
        ["chat_template"] = chatTemplate,
    };

    /// <summary>Writes tokenizer.json and tokenizer_config.json into a new temp checkpoint.</summary>
    public TempCheckpoint WriteCheckpoint(string? chatTemplate = null, Action<JsonObject>? edit = null, bool ignoreMerges = false)
    {
        var checkpoint = new TempCheckpoint();
        var json = TokenizerJson(ignoreMerges: ignoreMerges);
        edit?.Invoke(json);
        checkpoint.WriteJson("tokenizer.json", json);
        checkpoint.WriteJson("tokenizer_config.json", Config(chatTemplate));
        return checkpoint;
    }

    /// <summary>Hugging Face's algorithm written out plainly, to check the production encoder against.</summary>
    public int[] ReferenceEncode(string text)
    {
        var ids = Vocab.Select((token, id) => (token, id)).ToDictionary(x => x.token, x => x.id);
        var ranks = Merges.Select((m, rank) => (m, rank)).ToDictionary(x => x.m, x => x.rank);
        var result = new List<int>();
        var specials = new Regex(string.Join("|", Specials.OrderByDescending(s => s.Length).Select(Regex.Escape)));
        var position = 0;
        foreach (Match special in specials.Matches(text))
        {
            EncodeText(text[position..special.Index]);
            result.Add(SpecialId(special.Value));
            position = special.Index + special.Length;
        }

        EncodeText(text[position..]);
        return result.ToArray();

        void EncodeText(string run)
        {
            var at = 0;
            foreach (Match piece in Regex.Matches(run, Llama3Pattern))
            {
                if (piece.Index > at)
                {
                    EncodeWord(run[at..piece.Index]);
                }

                EncodeWord(piece.Value);
                at = piece.Index + piece.Length;
            }

            if (at < run.Length)
            {
                EncodeWord(run[at..]);
            }
        }

        void EncodeWord(string word)
        {
            var symbols = GptBytes.Spell(word).Select(c => c.ToString()).ToList();
            while (true)
            {
                var best = Enumerable.Range(0, Math.Max(0, symbols.Count - 1))
                    .Select(i => (i, rank: ranks.TryGetValue((symbols[i], symbols[i + 1]), out var r) ? r : int.MaxValue))
                    .OrderBy(x => x.rank).ThenBy(x => x.i)
                    .FirstOrDefault((i: -1, rank: int.MaxValue));
                if (best.rank == int.MaxValue)
                {
                    break;
                }

                symbols[best.i] += symbols[best.i + 1];
                symbols.RemoveAt(best.i + 1);
            }

            result.AddRange(symbols.Select(s => ids[s]));
        }
    }
}
