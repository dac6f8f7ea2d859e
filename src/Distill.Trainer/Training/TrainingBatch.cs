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

    /// <summary>The teacher's k most likely token ids per position [batch, seq, k], as APIs return them.</summary>
    public Tensor? TeacherTopIds { get; init; }

    /// <summary>Their log-probabilities [batch, seq, k].</summary>
    public Tensor? TeacherTopLogprobs { get; init; }

    public long Tokens => (long)LossMask.sum().to(ScalarType.Float64).item<double>();

    public void Dispose()
    {
        InputIds.Dispose();
        Targets.Dispose();
        LossMask.Dispose();
        TeacherLogits?.Dispose();
        TeacherTopIds?.Dispose();
        TeacherTopLogprobs?.Dispose();
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

    /// <summary>Parameters the objective itself learns alongside the student, such as a hidden-state projection.</summary>
    IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> Parameters => [];
}
