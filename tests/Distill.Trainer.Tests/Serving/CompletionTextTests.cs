using Distill.Trainer.Inference;
using Distill.Trainer.Serving;
using Distill.Trainer.Tests.Tokenization;
using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Tests.Serving;

public sealed class CompletionTextTests
{
    private static readonly TinyByteLevelBpe Bpe = new();

    [Fact]
    public void Characters_split_across_tokens_are_released_whole()
    {
        using var checkpoint = Bpe.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);
        const string text = "Señor ü€ 😀 done";
        var ids = tokenizer.Encode(text);
        Assert.True(ids.Length > text.Length / 2, "The tokenizer should split these characters into byte tokens.");

        var (releases, end) = Feed(tokenizer, ids, []);

        Assert.All(releases, r => Assert.DoesNotContain('\uFFFD', r.Text));
        Assert.Equal(text, string.Concat(releases.Select(r => r.Text)) + end.Text);
        Assert.Equal(ids, releases.Concat([end]).SelectMany(r => r.Tokens).Select(t => t.TokenId));
    }

    [Fact]
    public void A_stop_string_is_held_back_until_it_completes_and_is_left_out()
    {
        using var checkpoint = Bpe.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);
        var text = new CompletionText(tokenizer, ["world.", "xyz"]);
        var sent = "";

        foreach (var id in tokenizer.Encode("Hello world. The end"))
        {
            if (text.Stopped)
            {
                break;
            }

            sent += text.Add(new GeneratedToken(id, 0, [])).Text;
            Assert.DoesNotContain("w", sent);
        }

        Assert.True(text.Stopped);
        Assert.Equal("Hello ", sent + text.Finish().Text);
    }

    [Fact]
    public void Text_held_for_a_stop_string_that_never_completes_comes_out_at_the_end()
    {
        using var checkpoint = Bpe.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);

        var (releases, end) = Feed(tokenizer, tokenizer.Encode("Hello world"), ["worldwide"]);

        Assert.Equal("Hello ", string.Concat(releases.Select(r => r.Text)));
        Assert.Equal("world", end.Text);
    }

    private static (List<TextRelease> Releases, TextRelease End) Feed(CheckpointTokenizer tokenizer, int[] ids, string[] stops)
    {
        var text = new CompletionText(tokenizer, stops);
        var releases = ids.Select(id => text.Add(new GeneratedToken(id, 0, []))).ToList();
        return (releases, text.Finish());
    }
}
