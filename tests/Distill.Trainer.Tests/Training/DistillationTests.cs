using Distill.Trainer.Models;
using Distill.Trainer.Tests.Models;
using Distill.Trainer.Training;
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

        var sftDistance = KlToTeacher(teacher, sftStudent, heldOut);
        var kdDistance = KlToTeacher(teacher, kdStudent, heldOut);
        Console.WriteLine($"KL to the teacher on held-out text: KD {kdDistance:F4}, SFT {sftDistance:F4}");
        Assert.True(kdDistance < 0.8 * sftDistance, $"KL to the teacher: KD {kdDistance:F4}, SFT {sftDistance:F4}");
    }

    [Fact]
    public void Logit_distillation_between_different_vocabularies_is_refused_before_any_compute()
    {
        using var teacher = new LlamaForCausalLM(TinyConfigs.For(ModelFamily.Llama) with { VocabSize = 120 });
        var error = Assert.Throws<ArgumentException>(() => new LogitDistillation(TinyConfigs.For(ModelFamily.Llama), teacher, Divergence.ForwardKl));
        Assert.Contains("120 tokens and the student over 97", error.Message);
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
