using Distill.Trainer.Models;
using Distill.Trainer.Training;
using static TorchSharp.torch;

namespace Distill.Trainer.Tests.Training;

/// <summary>Keeps checkpoints in memory, as copies, the way a store on disk would.</summary>
public sealed class MemoryCheckpoints : ITrainingCheckpoints
{
    private (TrainingState State, Dictionary<string, Tensor> Model, Dictionary<string, Tensor> Optimizer)? _latest;

    public int Saves { get; private set; }

    public void Save(TrainingState state, IReadOnlyDictionary<string, Tensor> model, IReadOnlyDictionary<string, Tensor> optimizer)
    {
        _latest = (state, Copy(model), Copy(optimizer));
        Saves++;
    }

    public (TrainingState State, Dictionary<string, Tensor> Model, Dictionary<string, Tensor> Optimizer)? LoadLatest() =>
        _latest is { } latest ? (latest.State, Copy(latest.Model), Copy(latest.Optimizer)) : null;

    private static Dictionary<string, Tensor> Copy(IReadOnlyDictionary<string, Tensor> tensors) =>
        tensors.ToDictionary(t => t.Key, t => t.Value.detach().clone().DetachFromDisposeScope());
}
