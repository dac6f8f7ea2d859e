using System.Text.Json.Nodes;
using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Tests.Tokenization;

public sealed class ByteLevelBpeTokenizerTests
{
    private static readonly TinyByteLevelBpe Bpe = new();

    [Theory]
    [InlineData("Hello there! How are you?")]
    [InlineData("The quick brown fox's 4567 jumps,\n\n  over   the lazy dog.\t")]
    [InlineData("Café au lait, naïve façade, crème brûlée")]
    [InlineData("日本語のテキスト and emoji 🎉👍🏽 mixed")]
    [InlineData("Zebras quietly juxtapose vexing wombats; 98765 of them.")]
    public void Encoding_round_trips_and_matches_the_reference_algorithm(string text)
    {
        using var checkpoint = Bpe.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);

        var ids = tokenizer.Encode(text);

        Assert.Equal(TokenizerKind.ByteLevelBpe, tokenizer.Kind);
        Assert.Equal(Bpe.ReferenceEncode(text), ids);
        Assert.Equal(text, tokenizer.Decode(ids));
        Assert.True(ids.Length < System.Text.Encoding.UTF8.GetByteCount(text), "the learned merges should shorten the encoding");
    }

    [Fact]
    public void Special_tokens_are_single_ids_even_inside_text()
    {
        using var checkpoint = Bpe.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);
        var imEnd = Bpe.SpecialId("<|im_end|>");

        Assert.Equal(imEnd, tokenizer.TokenToId("<|im_end|>"));
        Assert.Equal([imEnd], tokenizer.Encode("<|im_end|>"));
        Assert.Equal("<|im_end|>", tokenizer.IdToToken(imEnd));

        var ids = tokenizer.Encode("Hello<|im_end|>\nthere<|im_start|>");
        Assert.Equal(Bpe.ReferenceEncode("Hello<|im_end|>\nthere<|im_start|>"), ids);
        Assert.Single(ids, imEnd);
        Assert.Equal(Bpe.SpecialId("<|im_start|>"), ids[^1]);
        Assert.Equal("Hello<|im_end|>\nthere<|im_start|>", tokenizer.Decode(ids));
        Assert.Equal("Hello\nthere", tokenizer.Decode(ids, skipSpecialTokens: true));
    }

    [Fact]
    public void Bos_eos_and_vocab_size_come_from_the_config_and_the_added_tokens()
    {
        using var checkpoint = Bpe.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);

        Assert.Equal(Bpe.Vocab.Count + TinyByteLevelBpe.Specials.Length, tokenizer.VocabSize);
        Assert.Equal(Bpe.SpecialId("<|begin_of_text|>"), tokenizer.BosId);
        Assert.Equal(Bpe.SpecialId("<|eot_id|>"), tokenizer.EosId);
        Assert.True(tokenizer.AddBosToken, "the TemplateProcessing post-processor puts <|begin_of_text|> first");
        Assert.Equal(TinyByteLevelBpe.Specials.Length, tokenizer.AddedTokens.Count);
        Assert.Equal(0, tokenizer.TokenToId(GptBytes.Chars[0].ToString()));
    }

    [Fact]
    public void Merges_written_as_pairs_load_the_same_as_merges_written_as_strings()
    {
        using var strings = Bpe.WriteCheckpoint();
        using var pairs = new TempCheckpoint();
        pairs.WriteJson("tokenizer.json", Bpe.TokenizerJson(mergesAsArrays: true));
        pairs.WriteJson("tokenizer_config.json", TinyByteLevelBpe.Config());

        var a = CheckpointTokenizer.Load(strings.Directory);
        var b = CheckpointTokenizer.Load(pairs.Directory);

        Assert.True(a.IsSameAs(b, out var difference), difference);
        Assert.Equal(a.Encode(TinyByteLevelBpe.Corpus), b.Encode(TinyByteLevelBpe.Corpus));
    }

    [Fact]
    public void Ignore_merges_emits_a_pre_token_found_whole_in_the_vocabulary()
    {
        // "Ġzqx" is in the vocabulary but no merge rule builds it, which is exactly the case ignore_merges changes.
        void AddWord(JsonObject json) => json["model"]!["vocab"]!["Ġzqx"] = Bpe.Vocab.Count + 100;
        using var plain = Bpe.WriteCheckpoint(edit: AddWord);
        using var ignoring = Bpe.WriteCheckpoint(edit: AddWord, ignoreMerges: true);

        var merged = CheckpointTokenizer.Load(plain.Directory).Encode("a zqx");
        var whole = CheckpointTokenizer.Load(ignoring.Directory).Encode("a zqx");

        Assert.Equal(Bpe.Vocab.Count + 100, whole[^1]);
        Assert.DoesNotContain(Bpe.Vocab.Count + 100, merged);
        Assert.True(merged.Length > whole.Length);
    }

    [Fact]
    public void An_nfc_normalizer_makes_composed_and_decomposed_text_encode_alike()
    {
        using var checkpoint = Bpe.WriteCheckpoint(edit: json => json["normalizer"] = new JsonObject { ["type"] = "NFC" });
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);

        Assert.Equal("Café", tokenizer.Normalize("Cafe\u0301"));
        Assert.Equal(tokenizer.Encode("Café crème"), tokenizer.Encode("Cafe\u0301 cre\u0300me"));
    }

    [Fact]
    public void Offsets_point_at_the_characters_each_token_came_from()
    {
        using var checkpoint = Bpe.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);
        const string ascii = "Hello there<|im_end|> world, 123!";
        const string mixed = "café 🎉 日本";

        var spans = tokenizer.EncodeWithOffsets(ascii);

        Assert.Equal(tokenizer.Encode(ascii), spans.Select(s => s.Id));
        Assert.Equal(0, spans[0].Start);
        Assert.Equal(ascii.Length, spans[^1].End);
        for (var i = 0; i < spans.Count; i++)
        {
            Assert.Equal(ascii[spans[i].Start..spans[i].End], tokenizer.Decode([spans[i].Id]));
            Assert.Equal(i == 0 ? 0 : spans[i - 1].End, spans[i].Start);
        }

        var mixedSpans = tokenizer.EncodeWithOffsets(mixed);
        var start = 0;
        foreach (var character in mixed.EnumerateRunes())
        {
            var end = start + character.Utf16SequenceLength;
            Assert.Contains(mixedSpans, s => s.Touches(start, end));
            start = end;
        }
    }

    [Fact]
    public void Decoding_an_unknown_id_fails_instead_of_dropping_it()
    {
        using var checkpoint = Bpe.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([1, tokenizer.VocabSize]));
        Assert.Contains($"Token id {tokenizer.VocabSize}", error.Message);
    }
}
