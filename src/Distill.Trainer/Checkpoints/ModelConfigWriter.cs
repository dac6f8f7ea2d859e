using System.Text.Json;
using System.Text.Json.Nodes;
using Distill.Trainer.Models;

namespace Distill.Trainer.Checkpoints;

/// <summary>
/// Writes a <see cref="ModelConfig"/> as the <c>config.json</c> Hugging Face's own classes would, so a model Distill
/// trains loads with <c>AutoModelForCausalLM.from_pretrained</c>; <see cref="ModelConfigReader"/> reads it back unchanged.
/// </summary>
public static class ModelConfigWriter
{
    /// <param name="torchDtype">Hugging Face's name of the weights' dtype (<c>bfloat16</c>, <c>float16</c>, <c>float32</c>), if known.</param>
    public static void Write(ModelConfig config, string path, string? torchDtype = null) =>
        File.WriteAllText(path, ToJson(config, torchDtype));

    public static string ToJson(ModelConfig config, string? torchDtype = null)
    {
        CheckExpressible(config);
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(Architecture(config.Family)),
            ["model_type"] = ModelType(config.Family),
            ["hidden_act"] = "silu",
            ["vocab_size"] = config.VocabSize,
            ["hidden_size"] = config.HiddenSize,
            ["intermediate_size"] = config.IntermediateSize,
            ["num_hidden_layers"] = config.NumLayers,
            ["num_attention_heads"] = config.NumHeads,
            ["num_key_value_heads"] = config.NumKeyValueHeads,
            ["head_dim"] = config.HeadDim,
            ["max_position_embeddings"] = config.MaxPositionEmbeddings,
            ["rms_norm_eps"] = config.RmsNormEps,
            ["rope_theta"] = config.RopeTheta,
            ["rope_scaling"] = config.RopeScaling is { } scaling
                ? new JsonObject
                {
                    ["rope_type"] = "llama3",
                    ["factor"] = scaling.Factor,
                    ["low_freq_factor"] = scaling.LowFrequencyFactor,
                    ["high_freq_factor"] = scaling.HighFrequencyFactor,
                    ["original_max_position_embeddings"] = scaling.OriginalMaxPositionEmbeddings,
                }
                : null,
            ["tie_word_embeddings"] = config.TieWordEmbeddings,
        };
        if (config.Family == ModelFamily.Llama)
        {
            json["attention_bias"] = config.AttentionBias;
        }

        if (config.BosTokenId is { } bos)
        {
            json["bos_token_id"] = bos;
        }

        if (config.EosTokenIds.Count > 0)
        {
            json["eos_token_id"] = config.EosTokenIds.Count == 1
                ? config.EosTokenIds[0]
                : new JsonArray([.. config.EosTokenIds.Select(id => (JsonNode)id)]);
        }

        if (torchDtype is not null)
        {
            json["torch_dtype"] = torchDtype;
        }

        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string ModelType(ModelFamily family) =>
        ModelConfigReader.SupportedModelTypes.Single(t => t.Value == family).Key;

    private static string Architecture(ModelFamily family) => family switch
    {
        ModelFamily.Llama => "LlamaForCausalLM",
        ModelFamily.Mistral => "MistralForCausalLM",
        ModelFamily.Qwen2 => "Qwen2ForCausalLM",
        ModelFamily.Phi3 => "Phi3ForCausalLM",
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Not a supported model family."),
    };

    /// <summary>Bias and fusion follow from the family in Hugging Face's configs; a config that contradicts it has no config.json.</summary>
    private static void CheckExpressible(ModelConfig config)
    {
        var biasFixed = config.Family switch
        {
            ModelFamily.Qwen2 => (bool?)true,
            ModelFamily.Llama => null,
            _ => false,
        };
        if (biasFixed is { } bias && config.AttentionBias != bias)
        {
            throw new ArgumentException($"A {config.Family} config.json cannot say AttentionBias = {config.AttentionBias}: the family fixes it to {bias}.", nameof(config));
        }

        if (config.FusedProjections != (config.Family == ModelFamily.Phi3))
        {
            throw new ArgumentException($"A {config.Family} config.json cannot say FusedProjections = {config.FusedProjections}: only Phi3 fuses them.", nameof(config));
        }
    }
}
