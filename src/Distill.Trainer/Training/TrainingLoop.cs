using Distill.Trainer.Models;
using static TorchSharp.torch;

namespace Distill.Trainer.Training;

/// <summary>
/// Trains a student: each step adds the gradients of GradientAccumulation micro-batches, clips their norm, and
/// takes one AdamW step at the scheduled learning rate. The example order is a seeded shuffle per epoch, so a run
/// resumed from a checkpoint sees the same batches it would have seen without the interruption.
/// </summary>
public sealed class TrainingLoop(
    LlamaForCausalLM student,
    ITrainingObjective objective,
    ITrainingData train,
    ITrainingData? validation,
    TrainingOptions options,
    ITrainingCheckpoints? checkpoints = null)
{
    private const string ObjectivePrefix = "objective.";
    private readonly Dictionary<long, int[]> _orders = [];

    public IReadOnlyList<TrainingStep> Run(Action<TrainingStep>? report = null, CancellationToken cancellationToken = default)
    {
        var trainable = student.named_parameters().Select(p => (Name: p.name, Parameter: p.parameter))
            .Concat(objective.Parameters).Where(p => p.Parameter.requires_grad).ToList();
        using var optimizer = new AdamW(trainable, options.Beta1, options.Beta2, weightDecay: options.WeightDecay);
        var state = Resume(optimizer) ?? new TrainingState { RandomState = Seeded() };
        var history = state.History.ToList();
        var schedule = options.Schedule;

        for (var step = state.Step; step < options.MaxSteps && !cancellationToken.IsCancellationRequested; step++)
        {
            student.train();
            var learningRate = schedule.At(step);
            var (loss, tokens) = AccumulateGradients(step);
            var gradientNorm = ClipGradients(trainable.Select(p => p.Parameter));
            optimizer.Step(learningRate);
            optimizer.ZeroGrad();

            var validationLoss = (step + 1) % options.EvaluateEvery == 0 ? Evaluate() : (double?)null;
            var done = new TrainingStep(step + 1, loss, learningRate, gradientNorm, tokens, validationLoss);
            history.Add(done);
            report?.Invoke(done);
            state = Track(state, done, history);

            var stopEarly = options.EarlyStoppingPatience is { } patience && state.EvaluationsWithoutImprovement >= patience;
            if (checkpoints is not null && ((step + 1) % options.CheckpointEvery == 0 || step + 1 == options.MaxSteps || stopEarly))
            {
                checkpoints.Save(state, student.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter), TrainingOnlyState(optimizer));
            }

            if (stopEarly)
            {
                break;
            }
        }

        return history;
    }

    /// <summary>Mean validation loss over every validation example, without gradients.</summary>
    public double Evaluate()
    {
        if (validation is null || validation.Count == 0)
        {
            return double.NaN;
        }

        using var noGrad = no_grad();
        student.eval();
        double weighted = 0;
        long tokens = 0;
        for (var start = 0; start < validation.Count; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            using var batch = validation.Load(Enumerable.Range(start, Math.Min(options.BatchSize, validation.Count - start)).ToList());
            var count = batch.Tokens;
            weighted += objective.Loss(student, batch).item<float>() * count;
            tokens += count;
        }

        return tokens == 0 ? double.NaN : weighted / tokens;
    }

    private (double Loss, long Tokens) AccumulateGradients(long step)
    {
        double loss = 0;
        long tokens = 0;
        for (var micro = 0; micro < options.GradientAccumulation; micro++)
        {
            using var scope = NewDisposeScope();
            using var batch = train.Load(ExamplesFor(step * options.GradientAccumulation + micro));
            var microLoss = objective.Loss(student, batch) / options.GradientAccumulation;
            microLoss.backward();
            loss += microLoss.item<float>();
            tokens += batch.Tokens;
        }

        return (loss, tokens);
    }

    /// <summary>Scales all gradients together so their global L2 norm is at most GradientClip; returns the norm before.</summary>
    private double ClipGradients(IEnumerable<TorchSharp.Modules.Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        var gradients = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        var norm = Math.Sqrt(gradients.Sum(g => g.to(ScalarType.Float32).pow(2).sum().item<float>()));
        if (options.GradientClip > 0 && norm > options.GradientClip)
        {
            using var noGrad = no_grad();
            foreach (var gradient in gradients)
            {
                gradient.mul_(options.GradientClip / (norm + 1e-6));
            }
        }

        return norm;
    }

    /// <summary>The examples of micro-batch number <paramref name="microBatch"/>, walking a new seeded shuffle each epoch.</summary>
    private List<int> ExamplesFor(long microBatch)
    {
        var examples = new List<int>(options.BatchSize);
        for (var i = 0; i < options.BatchSize; i++)
        {
            var position = microBatch * options.BatchSize + i;
            var epoch = position / train.Count;
            examples.Add(Shuffle(epoch)[(int)(position % train.Count)]);
        }

        return examples;
    }

    private int[] Shuffle(long epoch)
    {
        if (!_orders.TryGetValue(epoch, out var order))
        {
            order = Enumerable.Range(0, train.Count).ToArray();
            // A stable mix of seed and epoch: HashCode.Combine is randomised per process, which a resumed process would not reproduce.
            new Random(unchecked((int)(options.Seed * 1_000_003 + epoch))).Shuffle(order);
            _orders[epoch] = order;
        }

        return order;
    }

    private TrainingState Track(TrainingState state, TrainingStep done, List<TrainingStep> history)
    {
        var improved = done.ValidationLoss is { } loss && loss < state.BestValidationLoss;
        return state with
        {
            Step = done.Step,
            RandomState = TrainingState.CaptureRandomState(),
            BestValidationLoss = improved ? done.ValidationLoss!.Value : state.BestValidationLoss,
            EvaluationsWithoutImprovement = done.ValidationLoss is null ? state.EvaluationsWithoutImprovement : improved ? 0 : state.EvaluationsWithoutImprovement + 1,
            History = history.ToList(),
        };
    }

    /// <summary>
    /// The optimizer's state plus the objective's own parameters: both exist only for training, so they stay out of
    /// the model file, which remains a plain Hugging Face checkpoint.
    /// </summary>
    private Dictionary<string, Tensor> TrainingOnlyState(AdamW optimizer)
    {
        var state = optimizer.State();
        foreach (var (name, parameter) in objective.Parameters)
        {
            state[ObjectivePrefix + name] = parameter;
        }

        return state;
    }

    private TrainingState? Resume(AdamW optimizer)
    {
        if (checkpoints?.LoadLatest() is not { } latest)
        {
            return null;
        }

        student.LoadWeights(latest.Model);
        using (no_grad())
        {
            foreach (var (name, parameter) in objective.Parameters)
            {
                parameter.copy_(latest.Optimizer.TryGetValue(ObjectivePrefix + name, out var saved)
                    ? saved
                    : throw new InvalidDataException($"The checkpoint has no {name}: it was made with another objective."));
            }
        }

        optimizer.Load(latest.Optimizer, latest.State.Step);
        latest.State.RestoreRandomState();
        return latest.State;
    }

    private string Seeded()
    {
        manual_seed(options.Seed);
        return TrainingState.CaptureRandomState();
    }
}
