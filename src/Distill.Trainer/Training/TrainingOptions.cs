namespace Distill.Trainer.Training;

public sealed record TrainingOptions
{
    public int MaxSteps { get; init; } = 1000;

    public int BatchSize { get; init; } = 8;

    /// <summary>Micro-batches whose gradients add up to one optimizer step.</summary>
    public int GradientAccumulation { get; init; } = 1;

    public double LearningRate { get; init; } = 3e-4;

    public double MinLearningRate { get; init; } = 3e-5;

    public int WarmupSteps { get; init; } = 50;

    public double WeightDecay { get; init; } = 0.1;

    public double Beta1 { get; init; } = 0.9;

    public double Beta2 { get; init; } = 0.95;

    /// <summary>Largest gradient norm before the gradient is scaled down; 0 turns clipping off.</summary>
    public double GradientClip { get; init; } = 1.0;

    public long Seed { get; init; } = 1234;

    public int EvaluateEvery { get; init; } = 100;

    /// <summary>Stop after this many evaluations without a better validation loss; null never stops early.</summary>
    public int? EarlyStoppingPatience { get; init; }

    public int CheckpointEvery { get; init; } = 500;

    public LearningRateSchedule Schedule => new(LearningRate, MinLearningRate, WarmupSteps, MaxSteps);
}

/// <summary>One optimizer step as the dashboard charts it.</summary>
public sealed record TrainingStep(long Step, double Loss, double LearningRate, double GradientNorm, long Tokens, double? ValidationLoss);
