using System.Text.Json;
using Distill.Trainer.Models;

namespace Distill.Trainer.Checkpoints;

/// <summary>
/// Reads a Hugging Face <c>config.json</c> of the Llama-block families into a <see cref="ModelConfig"/>, with
/// Hugging Face's defaults where a field may be left out, and a clear error for anything Distill would get wrong.
/// </summary>
public static class ModelConfigReader
{
    public const string FileName = "config.json";

    public static IReadOnlyDictionary<string, ModelFamily> SupportedModelTypes { get; } = new Dictionary<string, ModelFamily>
    {
        ["llama"] = ModelFamily.Llama,
        ["mistral"] = ModelFamily.Mistral,
        ["qwen2"] = ModelFamily.Qwen2,
        ["phi3"] = ModelFamily.Phi3,
    };

    /// <summary>The <c>config.json</c> of a checkpoint directory.</summary>
    public static ModelConfig ReadDirectory(string directory) => ReadFile(Path.Combine(directory, FileName));

    public static ModelConfig ReadFile(string path) => Parse(File.ReadAllText(path), path);

    /// <param name="source">Where the JSON came from, for error messages.</param>
    public static ModelConfig Parse(string json, string source)
    {
        using var document = ParseJson(json, source);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointFormatException(source, null, null,
                $"{source}: a model config must be a JSON object, but it is {JsonDescriptions.Describe(document.RootElement)}.");
        }

        var fields = new ConfigFields(source, document.RootElement);
        var family = Family(fields);
        CheckBlock(fields);

        var hiddenSize = fields.RequiredPositiveInt("hidden_size");
        var heads = fields.RequiredPositiveInt("num_attention_heads");
        var keyValueHeads = fields.OptionalPositiveInt("num_key_value_heads") ?? heads;
        if (heads % keyValueHeads != 0)
        {
            throw fields.Invalid("num_key_value_heads", $"is {keyValueHeads}, which does not divide num_attention_heads ({heads})");
        }

        var (ropeTheta, ropeScaling) = Rope(fields);
        return new ModelConfig
        {
            Family = family,
            VocabSize = fields.RequiredPositiveInt("vocab_size"),
            HiddenSize = hiddenSize,
            IntermediateSize = fields.RequiredPositiveInt("intermediate_size"),
            NumLayers = fields.RequiredPositiveInt("num_hidden_layers"),
            NumHeads = heads,
            NumKeyValueHeads = keyValueHeads,
            HeadDim = fields.OptionalPositiveInt("head_dim") ?? DefaultHeadDim(fields, hiddenSize, heads),
            MaxPositionEmbeddings = fields.RequiredPositiveInt("max_position_embeddings"),
            RmsNormEps = fields.RequiredPositiveDouble("rms_norm_eps"),
            RopeTheta = ropeTheta,
            RopeScaling = ropeScaling,
            TieWordEmbeddings = fields.OptionalBool("tie_word_embeddings") ?? false,
            AttentionBias = family switch
            {
                // Qwen2's q, k and v always carry a bias; its config has no switch for it.
                ModelFamily.Qwen2 => true,
                ModelFamily.Llama => fields.OptionalBool("attention_bias") ?? false,
                _ => false,
            },
            FusedProjections = family == ModelFamily.Phi3,
            EosTokenIds = fields.TokenIds("eos_token_id"),
            BosTokenId = fields.OptionalInt("bos_token_id"),
        };
    }

    private static JsonDocument ParseJson(string json, string source)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException(source, null, null, $"{source}: the model config is not valid JSON ({ex.Message.TrimEnd('.')}).");
        }
    }

    private static ModelFamily Family(ConfigFields fields)
    {
        var modelType = fields.RequiredString("model_type");
        return SupportedModelTypes.TryGetValue(modelType, out var family)
            ? family
            : throw fields.Invalid("model_type",
                $"is '{modelType}', which Distill does not support (supported: {string.Join(", ", SupportedModelTypes.Keys)})");
    }

    /// <summary>Fields some exports of these families set that would change the block into one Distill does not build.</summary>
    private static void CheckBlock(ConfigFields fields)
    {
        if (fields.OptionalString("hidden_act") is { } activation && activation != "silu")
        {
            throw fields.Invalid("hidden_act", $"is '{activation}', but the Llama block's MLP is SwiGLU, which needs 'silu'");
        }

        // Llama's config can switch MLP biases on; no released checkpoint of these families does.
        if (fields.OptionalBool("mlp_bias") == true)
        {
            throw fields.Invalid("mlp_bias", "is true, but Distill's MLP has no biases");
        }

        // Phi-4-mini is a "phi3" that rotates only part of each head.
        if (fields.OptionalPositiveDouble("partial_rotary_factor") is { } partial && partial != 1)
        {
            throw fields.Invalid("partial_rotary_factor", $"is {partial}, but Distill applies RoPE to the whole head");
        }
    }

    private static int DefaultHeadDim(ConfigFields fields, int hiddenSize, int heads) =>
        hiddenSize % heads == 0
            ? hiddenSize / heads
            : throw fields.Invalid("head_dim", $"is absent and hidden_size ({hiddenSize}) is not a multiple of num_attention_heads ({heads})");

    /// <summary>
    /// Transformers 4.x writes <c>rope_theta</c> and <c>rope_scaling</c>; 5.x writes both into one
    /// <c>rope_parameters</c> object. Either way only plain RoPE and Llama 3's scaling are supported.
    /// </summary>
    private static (double Theta, RopeScaling? Scaling) Rope(ConfigFields fields)
    {
        var parameters = fields.OptionalObject("rope_parameters");
        var theta = parameters?.OptionalPositiveDouble("rope_theta") ?? fields.OptionalPositiveDouble("rope_theta") ?? 10000;
        var scaling = parameters ?? fields.OptionalObject("rope_scaling");
        if (scaling is null)
        {
            return (theta, null);
        }

        // Older configs say "type", newer "rope_type".
        var typeField = scaling.Has("rope_type") ? "rope_type" : "type";
        var type = scaling.OptionalString(typeField) ?? "default";
        return type switch
        {
            "default" => (theta, null),
            "llama3" => (theta, new RopeScaling(
                scaling.RequiredPositiveDouble("factor"),
                scaling.RequiredPositiveDouble("low_freq_factor"),
                scaling.RequiredPositiveDouble("high_freq_factor"),
                scaling.RequiredPositiveInt("original_max_position_embeddings"))),
            _ => throw scaling.Invalid(typeField, $"is '{type}', which Distill does not support (supported: llama3, or no scaling)"),
        };
    }
}
