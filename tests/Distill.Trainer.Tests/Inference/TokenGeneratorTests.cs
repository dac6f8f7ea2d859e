using Distill.Trainer.Inference;
using Distill.Trainer.Models;
using Distill.Trainer.Tests.Models;

namespace Distill.Trainer.Tests.Inference;

public sealed class TokenGeneratorTests
{
    private static readonly int[][] Prompts = [[5, 17, 42], [9, 1, 2, 3, 4, 60, 61], [33]];

    [Theory]
    [InlineData(ModelFamily.Llama)]
    [InlineData(ModelFamily.Phi3)]
    public void Greedy_decoding_is_the_same_with_and_without_the_kv_cache(ModelFamily family)
    {
        using var model = TinyConfigs.Model(family);
        var generator = new TokenGenerator(model);

        var cached = generator.Generate(Prompts, new SamplingOptions { MaxNewTokens = 12 });
        var uncached = generator.Generate(Prompts, new SamplingOptions { MaxNewTokens = 12, UseKvCache = false });

        Assert.Equal(cached.Select(g => g.TokenIds.ToArray()), uncached.Select(g => g.TokenIds.ToArray()));
        Assert.All(cached, g => Assert.Equal(12, g.Tokens.Count));
    }

    [Fact]
    public void A_batch_decodes_each_prompt_as_if_it_were_alone()
    {
        using var model = TinyConfigs.Model(ModelFamily.Qwen2);
        var generator = new TokenGenerator(model);
        var options = new SamplingOptions { MaxNewTokens = 8, TopLogprobs = 3 };

        var batched = generator.Generate(Prompts, options);

        for (var i = 0; i < Prompts.Length; i++)
        {
            var alone = generator.Generate([Prompts[i]], options).Single();
            Assert.Equal(alone.TokenIds, batched[i].TokenIds);
            Assert.Equal(alone.Tokens.Select(t => t.Logprob), batched[i].Tokens.Select(t => t.Logprob), (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    [Fact]
    public void Greedy_tokens_are_the_most_likely_and_top_logprobs_come_sorted()
    {
        using var model = TinyConfigs.Model(ModelFamily.Llama);
        var generation = new TokenGenerator(model).Generate([Prompts[0]], new SamplingOptions { MaxNewTokens = 5, TopLogprobs = 4 }).Single();

        Assert.All(generation.Tokens, token =>
        {
            Assert.Equal(4, token.TopLogprobs.Count);
            Assert.Equal(token.TopLogprobs[0].TokenId, token.TokenId);
            Assert.Equal(token.TopLogprobs[0].Logprob, token.Logprob, 5);
            Assert.Equal(token.TopLogprobs.Select(t => t.Logprob).OrderDescending(), token.TopLogprobs.Select(t => t.Logprob));
            Assert.True(token.TopLogprobs.Sum(t => Math.Exp(t.Logprob)) <= 1.0001);
        });
    }

    [Fact]
    public void Sampling_is_reproducible_by_seed_and_a_tiny_top_p_is_greedy()
    {
        using var model = TinyConfigs.Model(ModelFamily.Mistral);
        var generator = new TokenGenerator(model);
        var sampled = new SamplingOptions { MaxNewTokens = 10, Temperature = 1.5, Seed = 3 };

        var first = generator.Generate(Prompts, sampled);
        var again = generator.Generate(Prompts, sampled);
        var otherSeed = generator.Generate(Prompts, sampled with { Seed = 4 });
        var nucleus = generator.Generate(Prompts, sampled with { TopP = 1e-6 });
        var greedy = generator.Generate(Prompts, new SamplingOptions { MaxNewTokens = 10 });

        Assert.Equal(first.Select(g => g.TokenIds.ToArray()), again.Select(g => g.TokenIds.ToArray()));
        Assert.NotEqual(first.Select(g => g.TokenIds.ToArray()), otherSeed.Select(g => g.TokenIds.ToArray()));
        Assert.Equal(greedy.Select(g => g.TokenIds.ToArray()), nucleus.Select(g => g.TokenIds.ToArray()));
    }

    [Fact]
    public void Stop_sequences_and_end_tokens_end_a_completion_and_are_left_out()
    {
        using var model = TinyConfigs.Model(ModelFamily.Llama);
        var generator = new TokenGenerator(model);
        var free = generator.Generate([Prompts[1]], new SamplingOptions { MaxNewTokens = 10 }).Single().TokenIds.ToArray();

        var stopped = generator.Generate([Prompts[1]], new SamplingOptions { MaxNewTokens = 10, StopSequences = [[free[3], free[4]]] }).Single();
        var ended = generator.Generate([Prompts[1]], new SamplingOptions { MaxNewTokens = 10, EosTokenIds = [free[2]] }).Single();
        var cut = generator.Generate([Prompts[1]], new SamplingOptions { MaxNewTokens = 4 }).Single();

        Assert.Equal("stop", stopped.FinishReason);
        Assert.Equal(free[..FirstEnd(free, 3, [free[3], free[4]])], stopped.TokenIds);
        Assert.Equal("stop", ended.FinishReason);
        Assert.Equal(free[..Array.IndexOf(free, free[2])], ended.TokenIds);
        Assert.Equal("length", cut.FinishReason);
        Assert.Equal(free[..4], cut.TokenIds);
    }

    [Fact]
    public void Each_token_is_told_as_it_is_chosen_and_the_listener_can_end_its_completion()
    {
        using var model = TinyConfigs.Model(ModelFamily.Llama);
        var generator = new TokenGenerator(model);
        var options = new SamplingOptions { MaxNewTokens = 6 };
        var told = new List<(int Row, int TokenId)>();

        var whole = generator.Generate(Prompts, options);
        var listened = generator.Generate(Prompts, options, (row, token) =>
        {
            told.Add((row, token.TokenId));
            return !(row == 1 && told.Count(t => t.Row == 1) == 3);
        });

        Assert.Equal(whole[0].TokenIds, told.Where(t => t.Row == 0).Select(t => t.TokenId));
        Assert.Equal(whole[2].TokenIds, listened[2].TokenIds);
        Assert.Equal(whole[1].TokenIds.Take(3), listened[1].TokenIds);
        Assert.Equal("stop", listened[1].FinishReason);
        Assert.Equal("length", listened[0].FinishReason);
        Assert.Throws<OperationCanceledException>(() => generator.Generate(Prompts, options, null, new CancellationToken(canceled: true)));
    }

    /// <summary>Where a stop sequence first completes in <paramref name="tokens"/> (it may repeat earlier).</summary>
    private static int FirstEnd(int[] tokens, int fallback, int[] stop)
    {
        for (var i = 0; i + stop.Length <= tokens.Length; i++)
        {
            if (tokens.Skip(i).Take(stop.Length).SequenceEqual(stop))
            {
                return i;
            }
        }

        return fallback;
    }
}
