using Distill.Trainer.Models;
using static TorchSharp.torch;

namespace Distill.Trainer.Tests.Models;

public sealed class LlamaTests
{
    public static TheoryData<ModelFamily> Families => [ModelFamily.Llama, ModelFamily.Mistral, ModelFamily.Qwen2, ModelFamily.Phi3];

    [Theory]
    [MemberData(nameof(Families))]
    public void Parameters_carry_hugging_face_names(ModelFamily family)
    {
        using var model = TinyConfigs.Model(family);
        var names = model.named_parameters().Select(p => p.name).ToHashSet();

        Assert.Contains("model.embed_tokens.weight", names);
        Assert.Contains("model.layers.1.post_attention_layernorm.weight", names);
        Assert.Contains("model.norm.weight", names);
        Assert.Equal(family != ModelFamily.Qwen2, names.Contains("lm_head.weight"));
        Assert.Equal(family == ModelFamily.Phi3, names.Contains("model.layers.0.self_attn.qkv_proj.weight"));
        Assert.Equal(family == ModelFamily.Phi3, names.Contains("model.layers.0.mlp.gate_up_proj.weight"));
        Assert.Equal(family == ModelFamily.Qwen2, names.Contains("model.layers.0.self_attn.q_proj.bias"));
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", names);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Decoding_with_the_kv_cache_gives_the_logits_of_a_full_pass(ModelFamily family)
    {
        using var scope = NewDisposeScope();
        using var model = TinyConfigs.Model(family);
        using var noGrad = no_grad();
        var ids = randint(0, 97, [2, 9], dtype: ScalarType.Int64);
        using var full = model.Forward(ids);

        using var cache = new KvCache(model.Config, 2, 16, ScalarType.Float32, CPU);
        var pieces = new List<Tensor>();
        foreach (var (start, length) in new[] { (0, 4), (4, 1), (5, 3), (8, 1) })
        {
            using var step = model.Forward(ids.narrow(1, start, length), cache: cache);
            pieces.Add(step.Logits.clone());
        }

        Assert.Equal(9, cache.Length);
        Assert.True(full.Logits.allclose(cat(pieces, dim: 1), rtol: 1e-4, atol: 1e-5));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void A_left_padded_row_gives_the_logits_of_the_unpadded_sequence(ModelFamily family)
    {
        using var scope = NewDisposeScope();
        using var model = TinyConfigs.Model(family);
        using var noGrad = no_grad();
        var sequence = tensor(new long[] { 5, 17, 42, 3, 88 }).unsqueeze(0);
        var padded = cat([zeros([1, 3], ScalarType.Int64), sequence], dim: 1);
        var mask = tensor(new long[] { 0, 0, 0, 1, 1, 1, 1, 1 }).unsqueeze(0);

        using var alone = model.Forward(sequence);
        using var withPadding = model.Forward(padded, mask);

        Assert.True(alone.Logits.allclose(withPadding.Logits.narrow(1, 3, 5), rtol: 1e-4, atol: 1e-5));
        Assert.False(withPadding.Logits.isnan().any().item<bool>());
    }

    [Fact]
    public void Hidden_states_are_returned_per_layer_when_asked()
    {
        using var model = TinyConfigs.Model(ModelFamily.Llama);
        using var noGrad = no_grad();
        using var output = model.Forward(ones([1, 4], ScalarType.Int64), outputHiddenStates: true);

        Assert.Equal(2, output.HiddenStates.Count);
        Assert.Equal(new long[] { 1, 4, 32 }, output.HiddenStates[1].shape);
    }

    [Fact]
    public void Weights_that_do_not_fit_are_refused_with_every_reason()
    {
        using var model = TinyConfigs.Model(ModelFamily.Llama);
        var weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter.detach().clone());
        weights.Remove("model.norm.weight");
        weights["model.layers.0.mlp.up_proj.weight"] = zeros(3, 3);
        weights["model.extra.weight"] = zeros(1);

        var error = Assert.Throws<InvalidDataException>(() => model.LoadWeights(weights));

        Assert.Contains("missing model.norm.weight", error.Message);
        Assert.Contains("unexpected model.extra.weight", error.Message);
        Assert.Contains("model.layers.0.mlp.up_proj.weight is [3, 3], expected [56, 32]", error.Message);
    }
}
