using Distill.Trainer.Checkpoints;
using Distill.Trainer.Models;

namespace Distill.Trainer.Tests.Checkpoints;

public sealed class LlamaWeightNamesTests
{
    [Fact]
    public void A_llama_layer_has_separate_projections_and_the_model_an_untied_head()
    {
        var expected = LlamaWeightNames.Expected(TinyCheckpoint.Config(ModelFamily.Llama)).ToDictionary(e => e.Name, e => e.Shape);

        Assert.Equal(1 + 2 * 9 + 2, expected.Count);
        Assert.Equal([64L, 32L], expected["model.embed_tokens.weight"]);
        Assert.Equal([32L], expected["model.layers.1.input_layernorm.weight"]);
        Assert.Equal([32L, 32L], expected["model.layers.1.self_attn.q_proj.weight"]);
        Assert.Equal([16L, 32L], expected["model.layers.1.self_attn.k_proj.weight"]);
        Assert.Equal([16L, 32L], expected["model.layers.1.self_attn.v_proj.weight"]);
        Assert.Equal([32L, 32L], expected["model.layers.1.self_attn.o_proj.weight"]);
        Assert.Equal([32L], expected["model.layers.1.post_attention_layernorm.weight"]);
        Assert.Equal([48L, 32L], expected["model.layers.1.mlp.gate_proj.weight"]);
        Assert.Equal([48L, 32L], expected["model.layers.1.mlp.up_proj.weight"]);
        Assert.Equal([32L, 48L], expected["model.layers.1.mlp.down_proj.weight"]);
        Assert.Equal([32L], expected["model.norm.weight"]);
        Assert.Equal([64L, 32L], expected["lm_head.weight"]);
        Assert.DoesNotContain(expected.Keys, n => n.EndsWith(".bias", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tied_model_has_no_head()
    {
        var names = LlamaWeightNames.Expected(TinyCheckpoint.Config(ModelFamily.Mistral) with { TieWordEmbeddings = true }).Select(e => e.Name);

        Assert.DoesNotContain(LlamaWeightNames.LmHead, names);
        Assert.Contains(LlamaWeightNames.EmbedTokens, names);
    }

    [Fact]
    public void Qwen2_biases_q_k_and_v_but_not_the_output()
    {
        var expected = LlamaWeightNames.Expected(TinyCheckpoint.Config(ModelFamily.Qwen2)).ToDictionary(e => e.Name, e => e.Shape);

        Assert.Equal([32L], expected["model.layers.0.self_attn.q_proj.bias"]);
        Assert.Equal([16L], expected["model.layers.0.self_attn.k_proj.bias"]);
        Assert.Equal([16L], expected["model.layers.0.self_attn.v_proj.bias"]);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", expected.Keys);
        Assert.Equal(1 + 2 * 12 + 2, expected.Count);
    }

    [Fact]
    public void Llama_attention_bias_includes_the_output_projection_as_in_hugging_face()
    {
        var config = TinyCheckpoint.Config(ModelFamily.Llama) with { AttentionBias = true };
        var expected = LlamaWeightNames.Expected(config).ToDictionary(e => e.Name, e => e.Shape);

        Assert.True(LlamaWeightNames.HasOutputProjectionBias(config));
        Assert.Equal([32L], expected["model.layers.0.self_attn.o_proj.bias"]);
        Assert.Equal([16L], expected["model.layers.0.self_attn.v_proj.bias"]);
    }

    [Fact]
    public void Phi3_stacks_qkv_and_gate_up()
    {
        var expected = LlamaWeightNames.Expected(TinyCheckpoint.Config(ModelFamily.Phi3)).ToDictionary(e => e.Name, e => e.Shape);

        // q (4 heads x 8) then k and v (2 x 8 each); gate (48) then up (48).
        Assert.Equal([64L, 32L], expected["model.layers.0.self_attn.qkv_proj.weight"]);
        Assert.Equal([96L, 32L], expected["model.layers.0.mlp.gate_up_proj.weight"]);
        Assert.Equal([32L, 48L], expected["model.layers.0.mlp.down_proj.weight"]);
        Assert.DoesNotContain(expected.Keys, n => n.Contains("q_proj", StringComparison.Ordinal) && !n.Contains("qkv", StringComparison.Ordinal));
        Assert.DoesNotContain(expected.Keys, n => n.Contains("gate_proj", StringComparison.Ordinal) || n.Contains(".up_proj", StringComparison.Ordinal));
        Assert.Equal(1 + 2 * 6 + 2, expected.Count);
    }

    [Fact]
    public void Names_follow_hugging_face_for_any_layer()
    {
        Assert.Equal("model.layers.17.self_attn.qkv_proj.weight", LlamaWeightNames.QkvProj(17));
        Assert.Equal("model.layers.3.mlp.gate_up_proj.weight", LlamaWeightNames.GateUpProj(3));
        Assert.Equal("model.layers.0.self_attn.k_proj.bias", LlamaWeightNames.KProjBias(0));
        Assert.Equal("model.layers.31.post_attention_layernorm.weight", LlamaWeightNames.PostAttentionLayerNorm(31));
    }

    [Fact]
    public void An_exact_match_passes()
    {
        var config = TinyCheckpoint.Config(ModelFamily.Qwen2);
        LlamaWeightNames.Validate(config, LlamaWeightNames.Expected(config).ToDictionary(e => e.Name, e => e.Shape), "checkpoint");
    }

    [Fact]
    public void One_error_lists_every_missing_unexpected_and_misshapen_tensor()
    {
        var config = TinyCheckpoint.Config(ModelFamily.Llama);
        var actual = LlamaWeightNames.Expected(config).ToDictionary(e => e.Name, e => e.Shape);
        actual.Remove("model.layers.1.mlp.up_proj.weight");
        actual.Remove(LlamaWeightNames.LmHead);
        actual["model.layers.0.self_attn.q_proj.bias"] = [32];
        actual["model.layers.0.self_attn.k_proj.weight"] = [32, 32];
        actual["model.layers.0.self_attn.rotary_emb.inv_freq"] = [4];

        var error = Assert.Throws<CheckpointFormatException>(() => LlamaWeightNames.Validate(config, actual, "/models/x"));

        Assert.Equal("/models/x", error.Path);
        Assert.Equal("tensors", error.Field);
        Assert.Equal("model.layers.1.mlp.up_proj.weight", error.Tensor);
        Assert.Equal(
            "/models/x does not match its Llama config (2 layers, hidden size 32): " +
            "missing model.layers.1.mlp.up_proj.weight, lm_head.weight; " +
            "unexpected model.layers.0.self_attn.q_proj.bias; " +
            "wrong shape model.layers.0.self_attn.k_proj.weight [32, 32] instead of [16, 32].",
            error.Message);
    }
}
