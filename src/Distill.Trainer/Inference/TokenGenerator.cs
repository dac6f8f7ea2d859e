using Distill.Trainer.Models;
using static TorchSharp.torch;

namespace Distill.Trainer.Inference;

/// <summary>How to pick tokens. Temperature 0 is greedy.</summary>
public sealed record SamplingOptions
{
    public int MaxNewTokens { get; init; } = 256;

    public double Temperature { get; init; }

    /// <summary>Nucleus sampling: draw only from the smallest set of tokens whose probability reaches TopP.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>How many alternatives to report with each generated token (OpenAI's top_logprobs).</summary>
    public int TopLogprobs { get; init; }

    /// <summary>Token sequences that end a completion; they are not part of it.</summary>
    public IReadOnlyList<IReadOnlyList<int>> StopSequences { get; init; } = [];

    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    public long Seed { get; init; } = 0;

    /// <summary>Off only to measure what the cache saves.</summary>
    public bool UseKvCache { get; init; } = true;
}

public sealed record TokenLogprob(int TokenId, float Logprob);

/// <summary>A generated token with its log-probability under the model at temperature 1.</summary>
public sealed record GeneratedToken(int TokenId, float Logprob, IReadOnlyList<TokenLogprob> TopLogprobs);

/// <summary>One completion; FinishReason is "stop" (end-of-sequence or stop sequence) or "length".</summary>
public sealed record Generation(IReadOnlyList<GeneratedToken> Tokens, string FinishReason)
{
    public IEnumerable<int> TokenIds => Tokens.Select(t => t.TokenId);
}

/// <summary>Batched autoregressive decoding. Prompts of different lengths are left-padded.</summary>
public sealed class TokenGenerator(LlamaForCausalLM model)
{
    public IReadOnlyList<Generation> Generate(IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options) =>
        Generate(prompts, options, onToken: null);

    /// <summary>Generates as <see cref="Generate(IReadOnlyList{IReadOnlyList{int}}, SamplingOptions)"/>, telling each token as it is chosen.</summary>
    /// <param name="onToken">
    /// Called with the prompt's index and each token that joins its completion, on the generating thread; returning
    /// false ends that completion with "stop" (the token stays). End-of-sequence tokens are never told, and a stop
    /// sequence's tokens are told until its last one completes it, so a streaming caller matches stops itself.
    /// </param>
    public IReadOnlyList<Generation> Generate(
        IReadOnlyList<IReadOnlyList<int>> prompts,
        SamplingOptions options,
        Func<int, GeneratedToken, bool>? onToken,
        CancellationToken cancellationToken = default)
    {
        if (prompts.Count == 0 || prompts.Any(p => p.Count == 0))
        {
            throw new ArgumentException("Every prompt needs at least one token.", nameof(prompts));
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var device = model.parameters().First().device;
        var (ids, mask) = LeftPad(prompts, device);
        var batch = prompts.Count;
        var capacity = ids.shape[1] + options.MaxNewTokens;
        using var cache = options.UseKvCache ? new KvCache(model.Config, batch, capacity, model.parameters().First().dtype, device) : null;
        using var random = new TorchSharp.torch.Generator((ulong)options.Seed, device);

        var outputs = Enumerable.Range(0, batch).Select(_ => new List<GeneratedToken>()).ToArray();
        var finish = new string?[batch];
        var nextInput = ids;
        for (var step = 0; step < options.MaxNewTokens && finish.Any(f => f is null); step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var stepScope = NewDisposeScope();
            using var output = model.Forward(options.UseKvCache ? nextInput : ids, mask, cache);
            var logits = output.Logits.select(1, -1).to(ScalarType.Float32);
            var chosen = Choose(logits, options, random);
            var logprobs = logits.log_softmax(-1);
            var chosenLogprobs = logprobs.gather(1, chosen.unsqueeze(1)).squeeze(1).data<float>().ToArray();
            var top = options.TopLogprobs > 0 ? logprobs.topk(Math.Min(options.TopLogprobs, (int)logprobs.shape[1]), dim: 1) : default;
            var chosenIds = chosen.data<long>().ToArray();
            for (var row = 0; row < batch; row++)
            {
                if (finish[row] is not null)
                {
                    continue;
                }

                var alternatives = options.TopLogprobs > 0 ? TopOf(top.values, top.indexes, row) : [];
                var token = new GeneratedToken((int)chosenIds[row], chosenLogprobs[row], alternatives);
                outputs[row].Add(token);
                finish[row] = Finished(outputs[row], options);
                if (finish[row] is null && onToken is not null && !onToken(row, token))
                {
                    finish[row] = "stop";
                }
            }

            nextInput = chosen.unsqueeze(1).MoveToOuterDisposeScope();
            ids = cat([ids, nextInput], dim: 1).MoveToOuterDisposeScope();
            mask = cat([mask, ones_like(nextInput)], dim: 1).MoveToOuterDisposeScope();
        }

        return outputs.Select((tokens, row) => new Generation(tokens, finish[row] ?? "length")).ToList();
    }

    private static Tensor Choose(Tensor logits, SamplingOptions options, TorchSharp.torch.Generator random)
    {
        if (options.Temperature <= 0)
        {
            return logits.argmax(-1);
        }

        var probabilities = (logits / options.Temperature).softmax(-1);
        if (options.TopP < 1)
        {
            var (sorted, order) = probabilities.sort(-1, descending: true);
            // Keep a token while the mass before it is still short of TopP: the most likely token always stays.
            var massBefore = sorted.cumsum(-1) - sorted;
            var kept = sorted.masked_fill(massBefore >= options.TopP, 0);
            probabilities = zeros_like(probabilities).scatter(-1, order, kept);
        }

        return probabilities.multinomial(1, generator: random).squeeze(1);
    }

    /// <summary>"stop" when the completion ends with an end-of-sequence token or a stop sequence, which are then removed.</summary>
    private static string? Finished(List<GeneratedToken> tokens, SamplingOptions options)
    {
        if (options.EosTokenIds.Contains(tokens[^1].TokenId))
        {
            tokens.RemoveAt(tokens.Count - 1);
            return "stop";
        }

        foreach (var stop in options.StopSequences)
        {
            if (stop.Count > 0 && tokens.Count >= stop.Count && tokens.Skip(tokens.Count - stop.Count).Select(t => t.TokenId).SequenceEqual(stop))
            {
                tokens.RemoveRange(tokens.Count - stop.Count, stop.Count);
                return "stop";
            }
        }

        return null;
    }

    private static TokenLogprob[] TopOf(Tensor values, Tensor indices, int row)
    {
        var logprobs = values[row].data<float>().ToArray();
        var ids = indices[row].data<long>().ToArray();
        return ids.Select((id, i) => new TokenLogprob((int)id, logprobs[i])).ToArray();
    }

    private static (Tensor Ids, Tensor Mask) LeftPad(IReadOnlyList<IReadOnlyList<int>> prompts, Device device)
    {
        var length = prompts.Max(p => p.Count);
        var ids = new long[prompts.Count * length];
        var mask = new long[prompts.Count * length];
        for (var row = 0; row < prompts.Count; row++)
        {
            var pad = length - prompts[row].Count;
            for (var i = 0; i < prompts[row].Count; i++)
            {
                ids[row * length + pad + i] = prompts[row][i];
                mask[row * length + pad + i] = 1;
            }
        }

        return (tensor(ids, [prompts.Count, length], device: device), tensor(mask, [prompts.Count, length], device: device));
    }
}
