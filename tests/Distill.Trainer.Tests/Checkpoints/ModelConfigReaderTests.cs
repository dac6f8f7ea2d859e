using System.Text.Json.Nodes;
using Distill.Trainer.Checkpoints;
using Distill.Trainer.Models;

namespace Distill.Trainer.Tests.Checkpoints;

/// <summary>The configs are those of real checkpoints of each family, trimmed of fields Distill does not read.</summary>
public sealed class ModelConfigReaderTests
{
    private const string Llama32 = """
        {
          "architectures": ["LlamaForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
          "bos_token_id": 128000, "eos_token_id": 128001, "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048,
          "initializer_range": 0.02, "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false,
          "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8,
          "pretraining_tp": 1, "rms_norm_eps": 1e-05,
          "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0, "original_max_position_embeddings": 8192, "rope_type": "llama3"},
          "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_cache": true, "vocab_size": 128256
        }
        """;

    [Fact]
    public void Llama_3_2_with_llama3_rope_scaling_gqa_and_tied_embeddings()
    {
        ModelConfigAssert.Same(new ModelConfig
        {
            Family = ModelFamily.Llama,
            VocabSize = 128256,
            HiddenSize = 2048,
            IntermediateSize = 8192,
            NumLayers = 16,
            NumHeads = 32,
            NumKeyValueHeads = 8,
            HeadDim = 64,
            MaxPositionEmbeddings = 131072,
            RmsNormEps = 1e-5,
            RopeTheta = 500000,
            RopeScaling = new RopeScaling(32, 1, 4, 8192),
            TieWordEmbeddings = true,
            BosTokenId = 128000,
            EosTokenIds = [128001],
        }, ModelConfigReader.Parse(Llama32, "Llama-3.2-1B/config.json"));
    }

    [Fact]
    public void Llama_3_1_instruct_has_several_end_tokens()
    {
        var config = ModelConfigReader.Parse(Edit(Llama32, json =>
        {
            json["eos_token_id"] = new JsonArray(128001, 128008, 128009);
            json["tie_word_embeddings"] = false;
        }), "config.json");

        Assert.Equal([128001, 128008, 128009], config.EosTokenIds);
        Assert.False(config.TieWordEmbeddings);
    }

    [Fact]
    public void TinyLlama_takes_the_defaults_for_rope_theta_and_head_dim()
    {
        const string tinyLlama = """
            {"architectures": ["LlamaForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu", "hidden_size": 2048,
             "initializer_range": 0.02, "intermediate_size": 5632, "max_position_embeddings": 2048, "model_type": "llama",
             "num_attention_heads": 32, "num_hidden_layers": 22, "num_key_value_heads": 4, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
             "rope_scaling": null, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "use_cache": true, "vocab_size": 32000}
            """;

        var config = ModelConfigReader.Parse(tinyLlama, "config.json");

        Assert.Equal(10000, config.RopeTheta);
        Assert.Equal(64, config.HeadDim);
        Assert.Equal(4, config.NumKeyValueHeads);
        Assert.Null(config.RopeScaling);
        Assert.False(config.AttentionBias);
        Assert.False(config.FusedProjections);
    }

    [Fact]
    public void SmolLM_is_a_tied_llama_with_nine_heads()
    {
        const string smolLm = """
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 0, "eos_token_id": 0, "hidden_act": "silu",
             "hidden_size": 576, "intermediate_size": 1536, "max_position_embeddings": 2048, "model_type": "llama",
             "num_attention_heads": 9, "num_hidden_layers": 30, "num_key_value_heads": 3, "rms_norm_eps": 1e-05,
             "rope_scaling": null, "rope_theta": 10000.0, "tie_word_embeddings": true, "vocab_size": 49152}
            """;

        var config = ModelConfigReader.Parse(smolLm, "config.json");

        Assert.Equal((9, 3, 64), (config.NumHeads, config.NumKeyValueHeads, config.HeadDim));
        Assert.True(config.TieWordEmbeddings);
        Assert.Equal(0, config.BosTokenId);
        Assert.Equal([0], config.EosTokenIds);
    }

    [Fact]
    public void Mistral_7b()
    {
        const string mistral = """
            {"architectures": ["MistralForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu", "hidden_size": 4096,
             "initializer_range": 0.02, "intermediate_size": 14336, "max_position_embeddings": 32768, "model_type": "mistral",
             "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05, "rope_theta": 10000.0,
             "sliding_window": 4096, "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 32000}
            """;

        ModelConfigAssert.Same(new ModelConfig
        {
            Family = ModelFamily.Mistral,
            VocabSize = 32000,
            HiddenSize = 4096,
            IntermediateSize = 14336,
            NumLayers = 32,
            NumHeads = 32,
            NumKeyValueHeads = 8,
            HeadDim = 128,
            MaxPositionEmbeddings = 32768,
            RmsNormEps = 1e-5,
            RopeTheta = 10000,
            BosTokenId = 1,
            EosTokenIds = [2],
        }, ModelConfigReader.Parse(mistral, "config.json"));
    }

    [Fact]
    public void Qwen2_always_has_attention_bias()
    {
        const string qwen2 = """
            {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643, "eos_token_id": 151643,
             "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02, "intermediate_size": 4864,
             "max_position_embeddings": 131072, "max_window_layers": 24, "model_type": "qwen2", "num_attention_heads": 14,
             "num_hidden_layers": 24, "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 1000000.0,
             "sliding_window": 131072, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_cache": true,
             "use_sliding_window": false, "vocab_size": 151936}
            """;

        ModelConfigAssert.Same(new ModelConfig
        {
            Family = ModelFamily.Qwen2,
            VocabSize = 151936,
            HiddenSize = 896,
            IntermediateSize = 4864,
            NumLayers = 24,
            NumHeads = 14,
            NumKeyValueHeads = 2,
            HeadDim = 64,
            MaxPositionEmbeddings = 131072,
            RmsNormEps = 1e-6,
            RopeTheta = 1000000,
            TieWordEmbeddings = true,
            AttentionBias = true,
            BosTokenId = 151643,
            EosTokenIds = [151643],
        }, ModelConfigReader.Parse(qwen2, "config.json"));
    }

    [Fact]
    public void Phi3_mini_fuses_its_projections()
    {
        const string phi3 = """
            {"architectures": ["Phi3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "bos_token_id": 1,
             "embd_pdrop": 0.0, "eos_token_id": 32000, "hidden_act": "silu", "hidden_size": 3072, "initializer_range": 0.02,
             "intermediate_size": 8192, "max_position_embeddings": 4096, "model_type": "phi3", "num_attention_heads": 32,
             "num_hidden_layers": 32, "num_key_value_heads": 32, "original_max_position_embeddings": 4096, "pad_token_id": 32000,
             "resid_pdrop": 0.0, "rms_norm_eps": 1e-05, "rope_scaling": null, "rope_theta": 10000.0, "sliding_window": 2047,
             "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 32064}
            """;

        ModelConfigAssert.Same(new ModelConfig
        {
            Family = ModelFamily.Phi3,
            VocabSize = 32064,
            HiddenSize = 3072,
            IntermediateSize = 8192,
            NumLayers = 32,
            NumHeads = 32,
            NumKeyValueHeads = 32,
            HeadDim = 96,
            MaxPositionEmbeddings = 4096,
            RmsNormEps = 1e-5,
            RopeTheta = 10000,
            FusedProjections = true,
            BosTokenId = 1,
            EosTokenIds = [32000],
        }, ModelConfigReader.Parse(phi3, "config.json"));
    }

    [Fact]
    public void A_llama_may_ask_for_attention_bias()
    {
        Assert.True(ModelConfigReader.Parse(Edit(Llama32, json => json["attention_bias"] = true), "config.json").AttentionBias);
    }

    [Fact]
    public void Rope_scaling_may_use_the_older_type_key_or_say_default()
    {
        var older = ModelConfigReader.Parse(Edit(Llama32, json =>
        {
            var scaling = json["rope_scaling"]!.AsObject();
            scaling.Remove("rope_type");
            scaling["type"] = "llama3";
        }), "config.json");
        Assert.Equal(new RopeScaling(32, 1, 4, 8192), older.RopeScaling);

        var plain = ModelConfigReader.Parse(Edit(Llama32, json => json["rope_scaling"] = new JsonObject { ["rope_type"] = "default" }), "config.json");
        Assert.Null(plain.RopeScaling);
    }

    [Fact]
    public void Transformers_5_rope_parameters_are_read_like_rope_theta_and_rope_scaling()
    {
        var config = ModelConfigReader.Parse(Edit(Llama32, json =>
        {
            var parameters = json["rope_scaling"]!.DeepClone().AsObject();
            parameters["rope_theta"] = 250000.0;
            json.Remove("rope_scaling");
            json.Remove("rope_theta");
            json["rope_parameters"] = parameters;
        }), "config.json");

        Assert.Equal(250000, config.RopeTheta);
        Assert.Equal(new RopeScaling(32, 1, 4, 8192), config.RopeScaling);
    }

    public static TheoryData<string, string?, string, string> BrokenFields => new()
    {
        { "model_type", "\"gemma\"", "model_type", "is 'gemma', which Distill does not support (supported: llama, mistral, qwen2, phi3)" },
        { "model_type", null, "model_type", "required field 'model_type' is missing" },
        { "hidden_size", null, "hidden_size", "required field 'hidden_size' is missing" },
        { "hidden_size", "\"2048\"", "hidden_size", "must be an integer, but it is the string \"2048\"" },
        { "num_hidden_layers", "2.5", "num_hidden_layers", "must be an integer, but it is the number 2.5" },
        { "vocab_size", "0", "vocab_size", "must be positive, but it is 0" },
        { "max_position_embeddings", null, "max_position_embeddings", "is missing" },
        { "rms_norm_eps", "\"1e-5\"", "rms_norm_eps", "must be a number" },
        { "rope_theta", "-1", "rope_theta", "must be positive" },
        { "tie_word_embeddings", "1", "tie_word_embeddings", "must be true or false, but it is the number 1" },
        { "num_key_value_heads", "5", "num_key_value_heads", "is 5, which does not divide num_attention_heads (32)" },
        { "rope_scaling", """{"rope_type": "yarn", "factor": 4.0}""", "rope_scaling.rope_type", "is 'yarn', which Distill does not support (supported: llama3" },
        { "rope_scaling", """{"type": "linear", "factor": 2.0}""", "rope_scaling.type", "is 'linear'" },
        { "rope_scaling", """{"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0}""", "rope_scaling.original_max_position_embeddings", "is missing" },
        { "rope_scaling", """{"rope_type": "llama3", "factor": "8", "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 8192}""", "rope_scaling.factor", "must be a number" },
        { "rope_scaling", "\"llama3\"", "rope_scaling", "must be an object" },
        { "eos_token_id", "\"</s>\"", "eos_token_id", "must be a token id or a list of token ids" },
        { "eos_token_id", "[1, \"x\"]", "eos_token_id", "must be a token id or a list of token ids, but it is an array" },
        { "bos_token_id", "[1]", "bos_token_id", "must be an integer" },
        { "hidden_act", "\"gelu\"", "hidden_act", "is 'gelu', but the Llama block's MLP is SwiGLU" },
        { "mlp_bias", "true", "mlp_bias", "is true" },
        { "partial_rotary_factor", "0.75", "partial_rotary_factor", "is 0.75, but Distill applies RoPE to the whole head" },
    };

    [Theory]
    [MemberData(nameof(BrokenFields))]
    public void A_missing_or_mistyped_field_is_named_with_the_file(string field, string? value, string reportedField, string problem)
    {
        var json = Edit(Llama32, config =>
        {
            config.Remove(field);
            if (value is not null)
            {
                config[field] = JsonNode.Parse(value);
            }
        });

        var error = Assert.Throws<CheckpointFormatException>(() => ModelConfigReader.Parse(json, "models/x/config.json"));

        Assert.Equal("models/x/config.json", error.Path);
        Assert.Equal(reportedField, error.Field);
        Assert.StartsWith("models/x/config.json: ", error.Message);
        Assert.Contains($"'{reportedField}'", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_head_dim_that_cannot_be_derived_is_an_error()
    {
        var json = Edit(Llama32, config =>
        {
            config.Remove("head_dim");
            config["hidden_size"] = 2050;
        });

        var error = Assert.Throws<CheckpointFormatException>(() => ModelConfigReader.Parse(json, "config.json"));

        Assert.Equal("head_dim", error.Field);
        Assert.Contains("hidden_size (2050) is not a multiple of num_attention_heads (32)", error.Message);
    }

    [Theory]
    [InlineData("{\"model_type\": ", "is not valid JSON")]
    [InlineData("[]", "must be a JSON object, but it is an array")]
    public void A_config_that_is_not_a_json_object_is_an_error(string json, string problem)
    {
        var error = Assert.Throws<CheckpointFormatException>(() => ModelConfigReader.Parse(json, "config.json"));
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Reading_a_file_names_the_file()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.Combine("config.json");
        File.WriteAllText(path, Edit(Llama32, config => config.Remove("vocab_size")));

        var error = Assert.Throws<CheckpointFormatException>(() => ModelConfigReader.ReadDirectory(directory.Path));

        Assert.Equal(path, error.Path);
        Assert.Equal($"{path}: required field 'vocab_size' is missing.", error.Message);
    }

    public static TheoryData<ModelConfig> WritableConfigs()
    {
        var data = new TheoryData<ModelConfig>();
        foreach (var family in Enum.GetValues<ModelFamily>())
        {
            data.Add(TinyCheckpoint.Config(family));
        }

        data.Add(TinyCheckpoint.Config(ModelFamily.Llama) with
        {
            TieWordEmbeddings = true,
            AttentionBias = true,
            RopeTheta = 500000,
            RopeScaling = new RopeScaling(8, 1, 4, 8192),
            RmsNormEps = 1e-5,
            HeadDim = 16,
            EosTokenIds = [128001, 128008, 128009],
            BosTokenId = null,
        });
        data.Add(TinyCheckpoint.Config(ModelFamily.Qwen2) with { TieWordEmbeddings = true, EosTokenIds = [] });
        return data;
    }

    [Theory]
    [MemberData(nameof(WritableConfigs))]
    public void A_written_config_reads_back_the_same(ModelConfig config)
    {
        ModelConfigAssert.Same(config, ModelConfigReader.Parse(ModelConfigWriter.ToJson(config, "bfloat16"), "config.json"));
    }

    [Fact]
    public void A_config_that_contradicts_its_family_cannot_be_written()
    {
        Assert.Throws<ArgumentException>(() => ModelConfigWriter.ToJson(TinyCheckpoint.Config(ModelFamily.Qwen2) with { AttentionBias = false }));
        Assert.Throws<ArgumentException>(() => ModelConfigWriter.ToJson(TinyCheckpoint.Config(ModelFamily.Mistral) with { FusedProjections = true }));
    }

    private static string Edit(string json, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        edit(node);
        return node.ToJsonString();
    }
}
