using System.Text.Json.Nodes;
using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Tests.Tokenization;

public sealed class TokenizerIdentityTests
{
    private static readonly TinyByteLevelBpe Bpe = new();

    [Fact]
    public void The_same_files_in_two_checkpoints_are_the_same_tokenizer()
    {
        using var teacher = Bpe.WriteCheckpoint();
        using var student = Bpe.WriteCheckpoint();

        var a = CheckpointTokenizer.Load(teacher.Directory);
        var b = CheckpointTokenizer.Load(student.Directory);

        Assert.True(a.HasSameVocabulary(b, out var vocabularyDifference), vocabularyDifference);
        Assert.True(a.IsSameAs(b, out var difference), difference);
        Assert.Null(difference);
    }

    [Fact]
    public void Vocabularies_of_different_sizes_say_both_sizes()
    {
        using var teacher = Bpe.WriteCheckpoint();
        using var student = new TinyByteLevelBpe(merges: 40).WriteCheckpoint();

        var a = CheckpointTokenizer.Load(teacher.Directory);
        var b = CheckpointTokenizer.Load(student.Directory);

        Assert.False(a.HasSameVocabulary(b, out var difference));
        Assert.Equal($"vocabulary sizes differ: {a.VocabSize} vs {b.VocabSize}", difference);
    }

    [Fact]
    public void Same_size_vocabularies_name_the_first_differing_token()
    {
        var id = Bpe.SpecialId("<|endoftext|>");
        using var teacher = Bpe.WriteCheckpoint();
        using var student = Bpe.WriteCheckpoint(edit: json => json["added_tokens"]![0]!["content"] = "<|end_of_text|>");

        var a = CheckpointTokenizer.Load(teacher.Directory);
        var b = CheckpointTokenizer.Load(student.Directory);

        Assert.Equal(a.VocabSize, b.VocabSize);
        Assert.False(a.IsSameAs(b, out var difference));
        Assert.Equal($"token {id} is '<|endoftext|>' in one and '<|end_of_text|>' in the other", difference);
    }

    [Fact]
    public void Reordered_merges_keep_the_vocabulary_but_not_the_tokenizer()
    {
        using var teacher = Bpe.WriteCheckpoint();
        using var student = Bpe.WriteCheckpoint(edit: json =>
        {
            var merges = json["model"]!["merges"]!.AsArray();
            var last = merges[^1]!.GetValue<string>();
            merges.RemoveAt(merges.Count - 1);
            merges.Insert(merges.Count - 1, JsonValue.Create(last));
        });

        var a = CheckpointTokenizer.Load(teacher.Directory);
        var b = CheckpointTokenizer.Load(student.Directory);

        Assert.True(a.HasSameVocabulary(b, out var vocabularyDifference), vocabularyDifference);
        Assert.False(a.IsSameAs(b, out var difference));
        Assert.StartsWith($"merge rule {Bpe.Merges.Count - 2} is ", difference);
    }

    [Fact]
    public void Byte_level_and_sentencepiece_tokenizers_differ_in_kind()
    {
        using var teacher = Bpe.WriteCheckpoint();
        using var student = new TinySentencePiece().WriteCheckpoint();

        var a = CheckpointTokenizer.Load(teacher.Directory);
        var b = CheckpointTokenizer.Load(student.Directory);

        Assert.False(a.HasSameVocabulary(b, out var difference));
        Assert.Equal("one is byte-level BPE (tokenizer.json) and the other SentencePiece (tokenizer.model)", difference);
    }

    [Fact]
    public void A_sentencepiece_tokenizer_is_the_same_as_itself()
    {
        var model = new TinySentencePiece();
        using var teacher = model.WriteCheckpoint();
        using var student = model.WriteCheckpoint();

        Assert.True(CheckpointTokenizer.Load(teacher.Directory).IsSameAs(CheckpointTokenizer.Load(student.Directory), out var difference), difference);
    }
}
