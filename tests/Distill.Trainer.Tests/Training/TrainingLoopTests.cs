using Distill.Trainer.Models;
using Distill.Trainer.Tests.Models;
using Distill.Trainer.Training;
using Distill.Trainer.TrainingProcess;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Trainer.Tests.Training;

public sealed class TrainingLoopTests
{
    private static readonly TrainingOptions Quick = new()
    {
        MaxSteps = 12, BatchSize = 4, GradientAccumulation = 2, LearningRate = 3e-3, MinLearningRate = 3e-4,
        WarmupSteps = 3, EvaluateEvery = 4, CheckpointEvery = 5, Seed = 11,
    };

    [Fact]
    public void Our_adamw_matches_torch_adamw_step_for_step()
    {
        manual_seed(1);
        using var ours = nn.Linear(6, 5, hasBias: false);
        using var theirs = nn.Linear(6, 5, hasBias: false);
        using (no_grad())
        {
            theirs.weight!.copy_(ours.weight!);
        }

        using var adamw = new AdamW(ours.named_parameters(), beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1);
        using var reference = optim.AdamW(theirs.parameters(), lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, weight_decay: 0.1);
        for (var step = 0; step < 20; step++)
        {
            using var input = randn(3, 6);
            ours.forward(input).pow(2).mean().backward();
            theirs.forward(input).pow(2).mean().backward();
            adamw.Step(0.01);
            reference.step();
            adamw.ZeroGrad();
            reference.zero_grad();
        }

        Assert.True(ours.weight!.allclose(theirs.weight!, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void A_bf16_model_keeps_fp32_master_weights_so_small_updates_are_not_lost()
    {
        using var layer = nn.Linear(4, 4, hasBias: false).to(ScalarType.BFloat16);
        using (no_grad())
        {
            layer.weight!.fill_(1.0);
        }

        using var adamw = new AdamW(layer.named_parameters(), weightDecay: 0);
        for (var step = 0; step < 50; step++)
        {
            layer.weight!.grad = ones_like(layer.weight!);
            adamw.Step(1e-4);
        }

        // 50 steps of about -1e-4 each: invisible to bf16 one at a time (its spacing near 1 is 2^-7), visible in total.
        Assert.Equal(ScalarType.BFloat16, layer.weight!.dtype);
        Assert.True(adamw.State()["weight.master"].max().item<float>() < 0.996f);
        Assert.True(layer.weight.max().item<BFloat16>() < (BFloat16)1.0f);
    }

    [Fact]
    public void The_schedule_warms_up_then_decays_along_a_cosine()
    {
        var schedule = new LearningRateSchedule(1.0, 0.1, 10, 110);
        Assert.Equal(0.1, schedule.At(0), 6);
        Assert.Equal(1.0, schedule.At(9), 6);
        Assert.Equal(1.0, schedule.At(10), 6);
        Assert.Equal(0.55, schedule.At(60), 6);
        Assert.Equal(0.1, schedule.At(110), 6);
        Assert.True(Enumerable.Range(10, 100).All(s => schedule.At(s + 1) <= schedule.At(s)));
    }

    [Fact]
    public void Training_learns_the_toy_language()
    {
        using var student = TinyConfigs.Model(ModelFamily.Llama);
        var loop = new TrainingLoop(student, new SupervisedFineTuning(), new ToySequences(64, 12, 97, 1), new ToySequences(16, 12, 97, 2),
            Quick with { MaxSteps = 60, EvaluateEvery = 20, LearningRate = 1e-2, MinLearningRate = 1e-3 });
        var before = loop.Evaluate();

        var history = loop.Run();

        Assert.Equal(60, history.Count);
        Assert.True(history[^1].ValidationLoss < before / 4, $"validation loss {before} -> {history[^1].ValidationLoss}");
        Assert.All(history, s => Assert.True(s.GradientNorm > 0 && double.IsFinite(s.Loss)));
    }

    [Fact]
    public void A_run_stopped_and_resumed_reproduces_the_uninterrupted_curve()
    {
        var uninterrupted = Train(Quick, new MemoryCheckpoints(), initialization: 5);

        // Stopped after step 7, the last checkpoint being step 5's: steps 6 and 7 are done again.
        var checkpoints = new MemoryCheckpoints();
        var firstPart = Train(Quick, checkpoints, initialization: 5, stopAfter: 7);
        // Another initialization: the resumed run must take everything from the checkpoint.
        var resumed = Train(Quick, checkpoints, initialization: 99);

        Assert.Equal(7, firstPart.Count);
        Assert.Equal(12, resumed.Count);
        Assert.Equal(uninterrupted.Select(s => s.Loss), resumed.Select(s => s.Loss));
        Assert.Equal(uninterrupted.Select(s => s.ValidationLoss), resumed.Select(s => s.ValidationLoss));
    }

    [Fact]
    public void Early_stopping_ends_a_run_whose_validation_loss_stops_improving()
    {
        var history = Train(Quick with { MaxSteps = 200, LearningRate = 0, MinLearningRate = 0, EvaluateEvery = 2, EarlyStoppingPatience = 3 }, null, initialization: 1);

        Assert.Equal(8, history.Count);
    }

    private static IReadOnlyList<TrainingStep> Train(TrainingOptions options, ITrainingCheckpoints? checkpoints, int initialization, int? stopAfter = null)
    {
        using var student = TinyConfigs.Model(ModelFamily.Qwen2, seed: initialization);
        using var stop = new CancellationTokenSource();
        var loop = new TrainingLoop(student, new SupervisedFineTuning(), new ToySequences(40, 10, 97, 3), new ToySequences(8, 10, 97, 4), options, checkpoints);
        return loop.Run(step =>
        {
            if (step.Step == stopAfter)
            {
                stop.Cancel();
            }
        }, stop.Token);
    }
}
