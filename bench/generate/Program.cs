using System.Diagnostics;
using Distill.Trainer.Inference;
using Distill.Trainer.Models;
using static TorchSharp.torch;

// Decoding speed of a Llama-style model with and without the KV cache, at batch 1 and 8. Without the cache
// every new token re-reads the whole sequence, so the gap widens with length: 256 new tokens after a short prompt.
const int NewTokens = 256;
var config = new ModelConfig
{
    Family = ModelFamily.Llama, VocabSize = 8192, HiddenSize = 256, IntermediateSize = 688, NumLayers = 4,
    NumHeads = 8, NumKeyValueHeads = 4, HeadDim = 32, MaxPositionEmbeddings = 1024,
};
set_num_threads(Environment.ProcessorCount);
manual_seed(1);
using var model = new LlamaForCausalLM(config);
var generator = new TokenGenerator(model);
var results = new Dictionary<string, double>();
foreach (var batch in new[] { 1, 8 })
{
    var prompts = Enumerable.Range(0, batch).Select(b => (IReadOnlyList<int>)Enumerable.Range(1 + b, 16).ToArray()).ToList();
    foreach (var cached in new[] { true, false })
    {
        var options = new SamplingOptions { MaxNewTokens = NewTokens, UseKvCache = cached };
        generator.Generate(prompts, options with { MaxNewTokens = 8 });
        var runs = Enumerable.Range(0, 3).Select(_ =>
        {
            var clock = Stopwatch.StartNew();
            var generated = generator.Generate(prompts, options).Sum(g => g.Tokens.Count);
            return generated / clock.Elapsed.TotalSeconds;
        }).Order().ToList();
        var name = $"generate_tokens_per_s_batch{batch}_{(cached ? "kv_cache" : "no_cache")}";
        results[name] = runs[1];
        Console.WriteLine($"{name}: runs {string.Join(", ", runs.Select(r => r.ToString("F1")))} tokens/s");
    }
}

results["kv_cache_speedup_batch1"] = results["generate_tokens_per_s_batch1_kv_cache"] / results["generate_tokens_per_s_batch1_no_cache"];
results["kv_cache_speedup_batch8"] = results["generate_tokens_per_s_batch8_kv_cache"] / results["generate_tokens_per_s_batch8_no_cache"];
foreach (var (name, value) in results)
{
    Console.WriteLine($"{name}={value:F2}");
}
