using Distill.Trainer.Models;

namespace Distill.Trainer.Checkpoints;

/// <summary>
/// Hugging Face's tensor names for the Llama block, and the shape each must have for a given <see cref="ModelConfig"/>.
/// Linear weights are <c>[out_features, in_features]</c>, as torch stores them.
/// </summary>
public static class LlamaWeightNames
{
    public const string EmbedTokens = "model.embed_tokens.weight";

    public const string FinalNorm = "model.norm.weight";

    /// <summary>Absent when <see cref="ModelConfig.TieWordEmbeddings"/>: the head is <see cref="EmbedTokens"/>.</summary>
    public const string LmHead = "lm_head.weight";

    public static string InputLayerNorm(int layer) => $"model.layers.{layer}.input_layernorm.weight";

    public static string PostAttentionLayerNorm(int layer) => $"model.layers.{layer}.post_attention_layernorm.weight";

    public static string QProj(int layer) => Attention(layer, "q_proj.weight");

    public static string KProj(int layer) => Attention(layer, "k_proj.weight");

    public static string VProj(int layer) => Attention(layer, "v_proj.weight");

    public static string OProj(int layer) => Attention(layer, "o_proj.weight");

    public static string QProjBias(int layer) => Attention(layer, "q_proj.bias");

    public static string KProjBias(int layer) => Attention(layer, "k_proj.bias");

    public static string VProjBias(int layer) => Attention(layer, "v_proj.bias");

    public static string OProjBias(int layer) => Attention(layer, "o_proj.bias");

    /// <summary>Phi-3: q, k and v stacked by rows, in that order.</summary>
    public static string QkvProj(int layer) => Attention(layer, "qkv_proj.weight");

    public static string QkvProjBias(int layer) => Attention(layer, "qkv_proj.bias");

    public static string GateProj(int layer) => Mlp(layer, "gate_proj.weight");

    public static string UpProj(int layer) => Mlp(layer, "up_proj.weight");

    public static string DownProj(int layer) => Mlp(layer, "down_proj.weight");

    /// <summary>Phi-3: gate and up stacked by rows, in that order.</summary>
    public static string GateUpProj(int layer) => Mlp(layer, "gate_up_proj.weight");

    /// <summary>
    /// Llama's <c>attention_bias</c> puts a bias on the output projection too; Qwen2's fixed biases stop at q, k and v.
    /// </summary>
    public static bool HasOutputProjectionBias(ModelConfig config) => config.AttentionBias && config.Family == ModelFamily.Llama;

    /// <summary>Every tensor a checkpoint of this config holds, with its shape, in model order.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> Expected(ModelConfig config)
    {
        long hidden = config.HiddenSize;
        long queries = (long)config.NumHeads * config.HeadDim;
        long keyValues = (long)config.NumKeyValueHeads * config.HeadDim;
        long intermediate = config.IntermediateSize;

        var expected = new List<(string, long[])> { (EmbedTokens, [config.VocabSize, hidden]) };
        for (var layer = 0; layer < config.NumLayers; layer++)
        {
            expected.Add((InputLayerNorm(layer), [hidden]));
            if (config.FusedProjections)
            {
                expected.Add((QkvProj(layer), [queries + 2 * keyValues, hidden]));
                if (config.AttentionBias)
                {
                    expected.Add((QkvProjBias(layer), [queries + 2 * keyValues]));
                }
            }
            else
            {
                expected.Add((QProj(layer), [queries, hidden]));
                expected.Add((KProj(layer), [keyValues, hidden]));
                expected.Add((VProj(layer), [keyValues, hidden]));
                if (config.AttentionBias)
                {
                    expected.Add((QProjBias(layer), [queries]));
                    expected.Add((KProjBias(layer), [keyValues]));
                    expected.Add((VProjBias(layer), [keyValues]));
                }
            }

            expected.Add((OProj(layer), [hidden, queries]));
            if (HasOutputProjectionBias(config))
            {
                expected.Add((OProjBias(layer), [hidden]));
            }

            expected.Add((PostAttentionLayerNorm(layer), [hidden]));
            if (config.FusedProjections)
            {
                expected.Add((GateUpProj(layer), [2 * intermediate, hidden]));
            }
            else
            {
                expected.Add((GateProj(layer), [intermediate, hidden]));
                expected.Add((UpProj(layer), [intermediate, hidden]));
            }

            expected.Add((DownProj(layer), [hidden, intermediate]));
        }

        expected.Add((FinalNorm, [hidden]));
        if (!config.TieWordEmbeddings)
        {
            expected.Add((LmHead, [config.VocabSize, hidden]));
        }

        return expected;
    }

    /// <summary>
    /// Checks that <paramref name="actual"/> holds exactly the expected tensors with the expected shapes; otherwise one
    /// error lists every missing, unexpected and misshapen tensor.
    /// </summary>
    /// <param name="source">The checkpoint, for the error message.</param>
    public static void Validate(ModelConfig config, IReadOnlyDictionary<string, long[]> actual, string source)
    {
        var expected = Expected(config);
        var expectedNames = expected.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);

        var missing = expected.Where(e => !actual.ContainsKey(e.Name)).Select(e => e.Name).ToList();
        var unexpected = actual.Keys.Where(n => !expectedNames.Contains(n) && !IsIgnorable(n)).Order(StringComparer.Ordinal).ToList();
        var misshapen = expected.Where(e => actual.TryGetValue(e.Name, out var shape) && !shape.SequenceEqual(e.Shape)).ToList();
        if (missing.Count + unexpected.Count + misshapen.Count == 0)
        {
            return;
        }

        var problems = new List<string>();
        if (missing.Count > 0)
        {
            problems.Add($"missing {string.Join(", ", missing)}");
        }

        if (unexpected.Count > 0)
        {
            problems.Add($"unexpected {string.Join(", ", unexpected)}");
        }

        if (misshapen.Count > 0)
        {
            problems.Add("wrong shape " + string.Join(", ",
                misshapen.Select(e => $"{e.Name} [{string.Join(", ", actual[e.Name])}] instead of [{string.Join(", ", e.Shape)}]")));
        }

        var first = missing.Concat(unexpected).Concat(misshapen.Select(e => e.Name)).First();
        throw new CheckpointFormatException(source, first, "tensors",
            $"{source} does not match its {config.Family} config ({config.NumLayers} layers, hidden size {config.HiddenSize}): {string.Join("; ", problems)}.");
    }

    /// <summary>
    /// Older exports saved RoPE's precomputed frequencies as a buffer; they follow from the config, and Hugging Face
    /// ignores them too.
    /// </summary>
    public static bool IsIgnorable(string name) => name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal);

    private static string Attention(int layer, string leaf) => $"model.layers.{layer}.self_attn.{leaf}";

    private static string Mlp(int layer, string leaf) => $"model.layers.{layer}.mlp.{leaf}";
}
