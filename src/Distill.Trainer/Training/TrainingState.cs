using static TorchSharp.torch;

namespace Distill.Trainer.Training;

/// <summary>
/// Everything besides tensors that a resumed run needs to continue exactly where it stopped: the step, the
/// random generator, early-stopping bookkeeping and the curve so far.
/// </summary>
public sealed record TrainingState
{
    public long Step { get; init; }

    public required string RandomState { get; init; }

    public double BestValidationLoss { get; init; } = double.PositiveInfinity;

    public int EvaluationsWithoutImprovement { get; init; }

    public IReadOnlyList<TrainingStep> History { get; init; } = [];

    public static string CaptureRandomState()
    {
        using var state = get_rng_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }

    public void RestoreRandomState()
    {
        using var state = tensor(Convert.FromBase64String(RandomState), ScalarType.Byte);
        set_rng_state(state);
    }
}

/// <summary>Where a run keeps its checkpoints: the latest is resumed after a crash.</summary>
public interface ITrainingCheckpoints
{
    void Save(TrainingState state, IReadOnlyDictionary<string, Tensor> model, IReadOnlyDictionary<string, Tensor> optimizer);

    (TrainingState State, Dictionary<string, Tensor> Model, Dictionary<string, Tensor> Optimizer)? LoadLatest();
}
