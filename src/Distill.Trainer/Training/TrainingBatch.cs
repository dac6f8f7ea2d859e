using static TorchSharp.torch;

namespace Distill.Trainer.Training;

/// <summary>
/// Token ids, the ids each position must predict (already shifted), and the mask of positions that count (the
/// assistant's tokens). Teacher signals are present when the objective distils from them.
/// </summary>
public sealed record TrainingBatch(Tensor InputIds, Tensor Targets, Tensor LossMask) : IDisposable
{
    /// <summary>Full teacher logits [batch, seq, vocab], for logit distillation.</summary>
    public Tensor? TeacherLogits { get; init; }

    public long Tokens => (long)LossMask.sum().to(ScalarType.Float64).item<double>();

    public void Dispose()
    {
        InputIds.Dispose();
        Targets.Dispose();
        LossMask.Dispose();
        TeacherLogits?.Dispose();
    }
}

/// <summary>Examples addressable by index, loaded into batches on demand.</summary>
public interface ITrainingData
{
    int Count { get; }

    TrainingBatch Load(IReadOnlyList<int> examples);
}

/// <summary>What training minimises for a batch.</summary>
public interface ITrainingObjective
{
    Tensor Loss(Models.LlamaForCausalLM student, TrainingBatch batch);
}
