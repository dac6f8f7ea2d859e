using Distill.Trainer.Models;

namespace Distill.Trainer.Tests.Checkpoints;

/// <summary><see cref="ModelConfig"/>'s record equality compares the eos list by reference; this compares its ids.</summary>
public static class ModelConfigAssert
{
    private static readonly IReadOnlyList<int> NoIds = [];

    public static void Same(ModelConfig expected, ModelConfig actual)
    {
        Assert.Equal(expected with { EosTokenIds = NoIds }, actual with { EosTokenIds = NoIds });
        Assert.Equal(expected.EosTokenIds, actual.EosTokenIds);
    }
}
