using Distill.Trainer.Models;
using Distill.Trainer.Tests.Models;
using Distill.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Trainer.Tests.Training;

/// <summary>Does distilling the teacher's distribution teach a student more than its sampled text does?</summary>
public sealed class DistillationTests
{
    private const int Vocab = 97;

    [Fact]
    public void Full_logit_distillation_gets_closer_to_the_teacher_than_supervised_fine_tuning()
    {
        // The teacher learns the language from plenty of text; the students get a small budget, where one sampled
        // successor says little about a distribution and the teacher's soft label says it all.
        var teacherText = new StochasticSequences(384, 10, seed: 1);
        var studentText = new StochasticSequences(24, 10, seed: 2);
        var heldOut = new StochasticSequences(64, 10, seed: 3);
        using var teacher = TinyConfigs.Untrained(ModelFamily.Llama, seed: 3);
        new TrainingLoop(teacher, new SupervisedFineTuning(), teacherText, null,
            new TrainingOptions { MaxSteps = 250, BatchSize = 32, LearningRate = 2e-2, MinLearningRate = 2e-3, WarmupSteps = 10, EvaluateEvery = 1000 }).Run();

        var studentOptions = new TrainingOptions { MaxSteps = 60, BatchSize = 8, LearningRate = 2e-2, MinLearningRate = 2e-3, WarmupSteps = 5, EvaluateEvery = 1000, Seed = 5 };
        using var sftStudent = TinyConfigs.Untrained(ModelFamily.Llama, seed: 11);
        using var kdStudent = TinyConfigs.Untrained(ModelFamily.Llama, seed: 11);
        new TrainingLoop(sftStudent, new SupervisedFineTuning(), studentText, null, studentOptions).Run();
        new TrainingLoop(kdStudent, new LogitDistillation(kdStudent.Config, teacher, Divergence.ForwardKl, alpha: 1.0, temperature: 1.0), studentText, null, studentOptions).Run();

        using var topKStudent = TinyConfigs.Untrained(ModelFamily.Llama, seed: 11);
        new TrainingLoop(topKStudent, new TopLogprobDistillation(alpha: 1.0), new WithTeacherTopLogprobs(studentText, teacher, k: 5), null, studentOptions).Run();

        var sftDistance = KlToTeacher(teacher, sftStudent, heldOut);
        var kdDistance = KlToTeacher(teacher, kdStudent, heldOut);
        var topKDistance = KlToTeacher(teacher, topKStudent, heldOut);
        Console.WriteLine($"KL to the teacher on held-out text: KD {kdDistance:F4}, top-5 KD {topKDistance:F4}, SFT {sftDistance:F4}");
        Assert.True(kdDistance < 0.8 * sftDistance, $"KL to the teacher: KD {kdDistance:F4}, SFT {sftDistance:F4}");
        Assert.True(topKDistance < 0.8 * sftDistance, $"KL to the teacher: top-5 KD {topKDistance:F4}, SFT {sftDistance:F4}");
    }

    [Fact]
    public void Logit_distillation_between_different_vocabularies_is_refused_before_any_compute()
    {
        using var teacher = new LlamaForCausalLM(TinyConfigs.For(ModelFamily.Llama) with { VocabSize = 120 });
        var error = Assert.Throws<ArgumentException>(() => new LogitDistillation(TinyConfigs.For(ModelFamily.Llama), teacher, Divergence.ForwardKl));
        Assert.Contains("120 tokens and the student over 97", error.Message);
    }

    [Fact]
    public void Hidden_state_distillation_trains_its_projection_and_resumes_with_it()
    {
        var text = new StochasticSequences(32, 10, seed: 4);
        using var teacher = TinyConfigs.Untrained(ModelFamily.Llama, seed: 21);
        var options = new TrainingOptions { MaxSteps = 12, BatchSize = 4, LearningRate = 1e-2, MinLearningRate = 1e-3, WarmupSteps = 2, EvaluateEvery = 4, CheckpointEvery = 5 };
        IReadOnlyList<TrainingStep> Run(int stopAfter, MemoryCheckpoints checkpoints, int initialization)
        {
            using var student = TinyConfigs.Untrained(ModelFamily.Qwen2, seed: initialization);
            manual_seed(initialization);
            using var projection = new HiddenStateDistillation(32, 32, [(0, 0), (1, 1)]);
            using var stop = new CancellationTokenSource();
            return new TrainingLoop(student, new HiddenStateObjective(teacher, projection), text, text, options, checkpoints)
                .Run(step => { if (step.Step == stopAfter) stop.Cancel(); }, stop.Token);
        }

        var uninterrupted = Run(0, new MemoryCheckpoints(), initialization: 8);
        var checkpoints = new MemoryCheckpoints();
        Run(7, checkpoints, initialization: 8);
        var resumed = Run(0, checkpoints, initialization: 99);

        Assert.True(uninterrupted[^1].Loss < uninterrupted[0].Loss);
        Assert.Equal(uninterrupted.Select(s => s.Loss), resumed.Select(s => s.Loss));
    }

    [Fact]
    public void A_bf16_student_trains_with_fp32_losses_and_master_weights()
    {
        var text = new StochasticSequences(32, 10, seed: 6);
        using var student = TinyConfigs.Untrained(ModelFamily.Llama, seed: 12);
        student.to(ScalarType.BFloat16);

        var history = new TrainingLoop(student, new SupervisedFineTuning(), text, null,
            new TrainingOptions { MaxSteps = 30, BatchSize = 8, LearningRate = 2e-2, MinLearningRate = 2e-3, WarmupSteps = 3, EvaluateEvery = 100 }).Run();

        Assert.All(student.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        Assert.True(history.TakeLast(5).Average(s => s.Loss) < 0.7 * history.Take(5).Average(s => s.Loss),
            $"loss {history.Take(5).Average(s => s.Loss):F3} -> {history.TakeLast(5).Average(s => s.Loss):F3}");
    }

    private static double KlToTeacher(LlamaForCausalLM teacher, LlamaForCausalLM student, StochasticSequences data)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        teacher.eval();
        student.eval();
        using var batch = data.Load(Enumerable.Range(0, data.Count).ToList());
        using var teacherOutput = teacher.Forward(batch.InputIds);
        using var studentOutput = student.Forward(batch.InputIds);
        return DistillationLosses.ForwardKl(studentOutput.Logits, teacherOutput.Logits, batch.LossMask).item<float>();
    }

    /// <summary>Adds the teacher's top-k log-probabilities to each batch, as a teacher API's top_logprobs would.</summary>
    private sealed class WithTeacherTopLogprobs(ITrainingData data, LlamaForCausalLM teacher, int k) : ITrainingData
    {
        public int Count => data.Count;

        public TrainingBatch Load(IReadOnlyList<int> examples)
        {
            var batch = data.Load(examples);
            using var noGrad = no_grad();
            teacher.eval();
            using var output = teacher.Forward(batch.InputIds);
            var (logprobs, ids) = output.Logits.log_softmax(-1).topk(k, dim: -1);
            return batch with { TeacherTopIds = ids, TeacherTopLogprobs = logprobs };
        }
    }

    /// <summary>
    /// A language with real uncertainty: after token t comes one of three successors with probabilities 0.6, 0.3
    /// and 0.1. A teacher that learned it knows the whole distribution; a sampled text shows one successor.
    /// </summary>
    private sealed class StochasticSequences(int count, int length, int seed) : ITrainingData
    {
        private readonly long[][] _sequences = Make(count, length, seed);

        public int Count => count;

        public TrainingBatch Load(IReadOnlyList<int> examples) => new(
            tensor(examples.SelectMany(e => _sequences[e][..^1]).ToArray(), [examples.Count, length - 1]),
            tensor(examples.SelectMany(e => _sequences[e][1..]).ToArray(), [examples.Count, length - 1]),
            ones(examples.Count, length - 1));

        private static long[][] Make(int count, int length, int seed)
        {
            var random = new Random(seed);
            return Enumerable.Range(0, count).Select(_ =>
            {
                var sequence = new long[length];
                sequence[0] = random.Next(Vocab);
                for (var i = 1; i < length; i++)
                {
                    var draw = random.NextDouble();
                    var successor = draw < 0.6 ? 1 : draw < 0.9 ? 2 : 3;
                    sequence[i] = (sequence[i - 1] * 7 + successor * 13) % Vocab;
                }

                return sequence;
            }).ToArray();
        }
    }
}
