using Distill.Trainer.Models;
using TorchSharp;

namespace Distill.Trainer.Tests.Models;

/// <summary>Small models of each family, big enough to have every feature (GQA, biases, fused projections).</summary>
public static class TinyConfigs
{
    public static ModelConfig For(ModelFamily family) => new()
    {
        Family = family,
        VocabSize = 97,
        HiddenSize = 32,
        IntermediateSize = 56,
        NumLayers = 2,
        NumHeads = 4,
        NumKeyValueHeads = family == ModelFamily.Phi3 ? 4 : 2,
        HeadDim = 8,
        RopeTheta = family == ModelFamily.Qwen2 ? 1_000_000 : 10_000,
        RopeScaling = family == ModelFamily.Llama ? new RopeScaling(8, 1, 4, 16) : null,
        AttentionBias = family == ModelFamily.Qwen2,
        FusedProjections = family == ModelFamily.Phi3,
        TieWordEmbeddings = family == ModelFamily.Qwen2,
        RmsNormEps = 1e-5,
    };

    /// <summary>A freshly initialised model to train.</summary>
    public static LlamaForCausalLM Untrained(ModelFamily family, int seed)
    {
        torch.manual_seed(seed);
        return new LlamaForCausalLM(For(family));
    }

    /// <summary>A model with seeded random weights, scaled up so that its predictions are far from uniform.</summary>
    public static LlamaForCausalLM Model(ModelFamily family, int seed = 7)
    {
        var model = Untrained(family, seed);
        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!name.EndsWith("norm.weight"))
            {
                parameter.copy_(torch.randn_like(parameter) * 0.5);
            }
        }

        model.eval();
        return model;
    }
}
