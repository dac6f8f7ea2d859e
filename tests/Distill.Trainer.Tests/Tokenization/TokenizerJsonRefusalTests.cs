using System.Text.Json.Nodes;
using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Tests.Tokenization;

public sealed class TokenizerJsonRefusalTests
{
    private static readonly TinyByteLevelBpe Bpe = new(merges: 40);

    public static TheoryData<string, string> Unmappable => new()
    {
        { "model.type", "WordPiece model" },
        { "model.dropout", "BPE dropout" },
        { "model.continuing_subword_prefix", "subword prefix" },
        { "normalizer.type", "lowercase normaliser" },
        { "pre_tokenizer.type", "Metaspace pre-tokeniser" },
        { "pre_tokenizer.pretokenizers[0].behavior", "MergedWithPrevious split" },
        { "pre_tokenizer.pretokenizers[1].add_prefix_space", "prefix space" },
        { "pre_tokenizer.pretokenizers[2]", "split after ByteLevel" },
        { "decoder.type", "Metaspace decoder" },
        { "post_processor.type", "Roberta post-processor" },
        { "single_word", "single-word added token" },
        { "byte-level symbol", "incomplete byte alphabet" },
    };

    [Theory]
    [MemberData(nameof(Unmappable))]
    public void A_feature_that_cannot_be_mapped_is_refused_by_name(string field, string feature)
    {
        using var checkpoint = Bpe.WriteCheckpoint(edit: json => Break(json, feature));

        var error = Assert.Throws<NotSupportedException>(() => CheckpointTokenizer.Load(checkpoint.Directory));

        Assert.StartsWith("tokenizer.json: ", error.Message);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void Merges_that_do_not_fit_the_vocabulary_are_reported_against_both_fields()
    {
        using var checkpoint = Bpe.WriteCheckpoint(edit: json => json["model"]!["merges"]!.AsArray().Add("Ġzz qq"));

        var error = Assert.Throws<InvalidDataException>(() => CheckpointTokenizer.Load(checkpoint.Directory));

        Assert.StartsWith("tokenizer.json: model.merges does not fit model.vocab", error.Message);
    }

    [Fact]
    public void A_directory_without_tokenizer_files_names_both_files()
    {
        using var checkpoint = new TempCheckpoint();

        var error = Assert.Throws<FileNotFoundException>(() => CheckpointTokenizer.Load(checkpoint.Directory));

        Assert.Contains("tokenizer.json", error.Message);
        Assert.Contains("tokenizer.model", error.Message);
    }

    [Fact]
    public void A_bos_token_missing_from_the_vocabulary_is_an_error_naming_the_field()
    {
        using var checkpoint = Bpe.WriteCheckpoint();
        checkpoint.WriteJson("tokenizer_config.json", TinyByteLevelBpe.Config(bos: "<|no_such_token|>"));

        var error = Assert.Throws<InvalidDataException>(() => CheckpointTokenizer.Load(checkpoint.Directory));

        Assert.Equal("tokenizer_config.json: bos_token '<|no_such_token|>' is not in the vocabulary of tokenizer.json.", error.Message);
    }

    private static void Break(JsonObject json, string feature)
    {
        var model = json["model"]!.AsObject();
        var steps = json["pre_tokenizer"]!["pretokenizers"]!.AsArray();
        switch (feature)
        {
            case "WordPiece model": model["type"] = "WordPiece"; break;
            case "BPE dropout": model["dropout"] = 0.1; break;
            case "subword prefix": model["continuing_subword_prefix"] = "##"; break;
            case "lowercase normaliser": json["normalizer"] = new JsonObject { ["type"] = "Lowercase" }; break;
            case "Metaspace pre-tokeniser": json["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁" }; break;
            case "MergedWithPrevious split": steps[0]!["behavior"] = "MergedWithPrevious"; break;
            case "prefix space": steps[1]!["add_prefix_space"] = true; break;
            case "split after ByteLevel": steps.Add(new JsonObject { ["type"] = "Digits", ["individual_digits"] = true }); break;
            case "Metaspace decoder": json["decoder"] = new JsonObject { ["type"] = "Metaspace" }; break;
            case "Roberta post-processor": json["post_processor"] = new JsonObject { ["type"] = "RobertaProcessing" }; break;
            case "single-word added token": json["added_tokens"]![0]!["single_word"] = true; break;
            case "incomplete byte alphabet": model["vocab"]!.AsObject().Remove("Ġ"); break;
            default: throw new ArgumentOutOfRangeException(nameof(feature), feature, null);
        }
    }
}
