using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Tests.Tokenization;

public sealed class SentencePieceTokenizerTests
{
    private static readonly TinySentencePiece Model = new();

    [Theory]
    [InlineData("Hello there! How are you?")]
    [InlineData("  two leading spaces,\ta tab and\na newline ")]
    [InlineData("Café crème, naïve façade")]
    [InlineData("日本語 and emoji 🎉👍🏽 fall back to bytes")]
    public void Encoding_round_trips(string text)
    {
        using var checkpoint = Model.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);

        var ids = tokenizer.Encode(text);

        Assert.Equal(TokenizerKind.SentencePiece, tokenizer.Kind);
        Assert.Equal(text, tokenizer.Decode(ids));
    }

    [Fact]
    public void Learned_pieces_carry_the_dummy_prefix_and_unknown_characters_fall_back_to_bytes()
    {
        using var checkpoint = Model.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);

        var hello = tokenizer.Encode("Hello");
        var kanji = tokenizer.Encode("日");

        Assert.Equal([tokenizer.TokenToId("▁Hello")], hello);
        Assert.Equal(["▁", "<0xE6>", "<0x97>", "<0xA5>"], kanji.Select(tokenizer.IdToToken));
    }

    [Fact]
    public void Special_and_added_tokens_are_single_ids_and_text_after_them_gets_its_own_prefix()
    {
        using var checkpoint = Model.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);
        var end = Model.AddedId("<|end|>");

        Assert.Equal([1], tokenizer.Encode("<s>"));
        Assert.Equal([2], tokenizer.Encode("</s>"));
        Assert.Equal([end], tokenizer.Encode("<|end|>"));
        Assert.Equal(end, tokenizer.TokenToId("<|end|>"));
        Assert.Equal([1, .. tokenizer.Encode("Hello there")], tokenizer.Encode("<s>Hello there"));
        Assert.Equal("<s>Hello there</s>", tokenizer.Decode(tokenizer.Encode("<s>Hello there</s>")));
        Assert.Equal("Hello there", tokenizer.Decode(tokenizer.Encode("<s>Hello there</s>"), skipSpecialTokens: true));
    }

    [Fact]
    public void An_rstrip_token_swallows_the_whitespace_after_it()
    {
        using var checkpoint = Model.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);

        var ids = tokenizer.Encode("<|user|>\n  Hello");

        Assert.Equal([Model.AddedId("<|user|>"), .. tokenizer.Encode("Hello")], ids);
        Assert.Equal("<|user|>Hello", tokenizer.Decode(ids));
    }

    [Fact]
    public void Bos_eos_and_vocab_size_come_from_the_model_and_the_config()
    {
        using var checkpoint = Model.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);

        Assert.Equal(1, tokenizer.BosId);
        Assert.Equal(2, tokenizer.EosId);
        Assert.True(tokenizer.AddBosToken);
        Assert.Equal(Model.Pieces.Count + TinySentencePiece.Phi3Tokens.Length, tokenizer.VocabSize);
        Assert.Equal(3 + TinySentencePiece.Phi3Tokens.Length, tokenizer.AddedTokens.Count);
    }

    [Fact]
    public void A_unigram_model_is_refused_by_field()
    {
        using var checkpoint = new TempCheckpoint();
        checkpoint.WriteBytes("tokenizer.model", Model.Model(modelType: 1));

        var error = Assert.Throws<NotSupportedException>(() => CheckpointTokenizer.Load(checkpoint.Directory));

        Assert.StartsWith("tokenizer.model: trainer_spec.model_type is 1", error.Message);
    }

    [Fact]
    public void Removing_extra_whitespace_is_refused_by_field()
    {
        using var checkpoint = new TempCheckpoint();
        checkpoint.WriteBytes("tokenizer.model", Model.Model(removeExtraWhitespaces: true));

        var error = Assert.Throws<NotSupportedException>(() => CheckpointTokenizer.Load(checkpoint.Directory));

        Assert.StartsWith("tokenizer.model: normalizer_spec.remove_extra_whitespaces", error.Message);
    }

    [Fact]
    public void User_defined_pieces_are_refused_by_name()
    {
        using var checkpoint = new TempCheckpoint();
        checkpoint.WriteBytes("tokenizer.model", Model.Model(userDefinedPiece: true));

        var error = Assert.Throws<NotSupportedException>(() => CheckpointTokenizer.Load(checkpoint.Directory));

        Assert.Equal("tokenizer.model: piece '<sep>' is USER_DEFINED, and such pieces are not mapped.", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_model_proto_is_reported_as_such()
    {
        using var checkpoint = new TempCheckpoint();
        checkpoint.WriteBytes("tokenizer.model", [0xFF, 0xFF, 0xFF]);

        var error = Assert.Throws<InvalidDataException>(() => CheckpointTokenizer.Load(checkpoint.Directory));

        Assert.StartsWith("tokenizer.model: the file is not a SentencePiece ModelProto", error.Message);
    }
}
