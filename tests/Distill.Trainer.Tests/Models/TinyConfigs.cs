using Distill.Trainer.Models;
using Distill.Trainer.Tests.Checkpoints;
using TorchSharp;

namespace Distill.Trainer.Tests.Models;

/// <summary>Small models of each family, big enough to have every feature (GQA, biases, fused projections).</summary>
public static class TinyConfigs
{
    /// <summary>
    /// The checkpoint fixture's config with a vocabulary the tests' token ids use (97), a wider MLP, and each family's
    /// distinguishing options switched on: Llama 3 RoPE scaling, Qwen2's tied head and long RoPE base, Phi-3's full MHA.
    /// </summary>
    public static ModelConfig For(ModelFamily family) => TinyCheckpoint.Config(family) with
    {
        VocabSize = 97,
        IntermediateSize = 56,
        NumKeyValueHeads = family == ModelFamily.Phi3 ? 4 : 2,
        RopeTheta = family == ModelFamily.Qwen2 ? 1_000_000 : 10_000,
        RopeScaling = family == ModelFamily.Llama ? new RopeScaling(8, 1, 4, 16) : null,
        TieWordEmbeddings = family == ModelFamily.Qwen2,
        EosTokenIds = [],
        BosTokenId = null,
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
