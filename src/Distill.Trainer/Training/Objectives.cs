using Distill.Trainer.Models;
using static TorchSharp.torch;

namespace Distill.Trainer.Training;

/// <summary>Supervised fine-tuning on the teacher's text: sequence-level distillation.</summary>
public sealed class SupervisedFineTuning : ITrainingObjective
{
    public Tensor Loss(LlamaForCausalLM student, TrainingBatch batch)
    {
        using var output = student.Forward(batch.InputIds);
        return DistillationLosses.CrossEntropy(output.Logits, batch.Targets, batch.LossMask);
    }
}

public enum Divergence
{
    /// <summary>KL(teacher || student): mean-seeking, the classic Hinton distillation.</summary>
    ForwardKl,

    /// <summary>KL(student || teacher): mode-seeking.</summary>
    ReverseKl,

    /// <summary>Generalized Jensen-Shannon with mixture weight beta (GKD).</summary>
    Jsd,
}

/// <summary>
/// Token-level distillation on the teacher's full next-token distribution, mixed with cross-entropy on the
/// teacher's text: alpha * divergence + (1 - alpha) * CE. Teacher logits come with the batch (precomputed) or
/// from a teacher model run alongside.
/// </summary>
public sealed class LogitDistillation : ITrainingObjective
{
    private readonly LlamaForCausalLM? _teacher;

    public LogitDistillation(ModelConfig student, LlamaForCausalLM? teacher, Divergence divergence, double alpha = 0.5, double temperature = 2.0, double beta = 0.5)
    {
        if (teacher is not null && teacher.Config.VocabSize != student.VocabSize)
        {
            throw new ArgumentException(
                $"The teacher predicts over {teacher.Config.VocabSize} tokens and the student over {student.VocabSize}: their tokenizers differ, so their " +
                "distributions cannot be compared token by token. Distil from the teacher's text (supervised fine-tuning) instead.", nameof(teacher));
        }

        (_teacher, Divergence, Alpha, Temperature, Beta) = (teacher, divergence, alpha, temperature, beta);
    }

    public Divergence Divergence { get; }

    public double Alpha { get; }

    public double Temperature { get; }

    public double Beta { get; }

    public Tensor Loss(LlamaForCausalLM student, TrainingBatch batch)
    {
        using var scope = NewDisposeScope();
        using var output = student.Forward(batch.InputIds);
        var teacherLogits = batch.TeacherLogits ?? TeacherLogits(batch);
        var divergence = Divergence switch
        {
            Divergence.ForwardKl => DistillationLosses.ForwardKl(output.Logits, teacherLogits, batch.LossMask, Temperature),
            Divergence.ReverseKl => DistillationLosses.ReverseKl(output.Logits, teacherLogits, batch.LossMask, Temperature),
            _ => DistillationLosses.GeneralizedJsd(output.Logits, teacherLogits, batch.LossMask, Beta, Temperature),
        };
        var crossEntropy = DistillationLosses.CrossEntropy(output.Logits, batch.Targets, batch.LossMask);
        return DistillationLosses.Mix(crossEntropy, divergence, Alpha).MoveToOuterDisposeScope();
    }

    private Tensor TeacherLogits(TrainingBatch batch)
    {
        if (_teacher is null)
        {
            throw new InvalidOperationException("Logit distillation needs teacher logits in the batch or a teacher model.");
        }

        using var noGrad = no_grad();
        _teacher.eval();
        using var output = _teacher.Forward(batch.InputIds);
        return output.Logits.detach().clone();
    }
}

/// <summary>
/// Distillation from the top-k log-probabilities an API returns (OpenAI's top_logprobs), with the rest of the
/// teacher's mass in one tail bucket: alpha * sparse KL + (1 - alpha) * CE on the teacher's text.
/// </summary>
public sealed class TopLogprobDistillation(double alpha = 0.5, double temperature = 1.0) : ITrainingObjective
{
    public Tensor Loss(LlamaForCausalLM student, TrainingBatch batch)
    {
        if (batch.TeacherTopIds is null || batch.TeacherTopLogprobs is null)
        {
            throw new InvalidOperationException("Top-logprob distillation needs the teacher's top ids and log-probabilities in every batch.");
        }

        using var scope = NewDisposeScope();
        using var output = student.Forward(batch.InputIds);
        var sparse = DistillationLosses.SparseTopKKl(output.Logits, batch.TeacherTopIds, batch.TeacherTopLogprobs, batch.LossMask, temperature);
        var crossEntropy = DistillationLosses.CrossEntropy(output.Logits, batch.Targets, batch.LossMask);
        return DistillationLosses.Mix(crossEntropy, sparse, alpha).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Cross-entropy on the teacher's text plus weight * MSE between the student's hidden states, projected into the
/// teacher's width, and the teacher's. Layer pairs index each model's block outputs (0 is the first block's).
/// </summary>
public sealed class HiddenStateObjective(LlamaForCausalLM teacher, HiddenStateDistillation distillation, double weight = 1.0) : ITrainingObjective
{
    public IEnumerable<(string Name, TorchSharp.Modules.Parameter Parameter)> Parameters =>
        distillation.named_parameters().Select(p => ("hidden_state_projection." + p.name, p.parameter));

    public Tensor Loss(LlamaForCausalLM student, TrainingBatch batch)
    {
        using var scope = NewDisposeScope();
        using var output = student.Forward(batch.InputIds, outputHiddenStates: true);
        IReadOnlyList<Tensor> teacherHidden;
        using (no_grad())
        {
            teacher.eval();
            using var teacherOutput = teacher.Forward(batch.InputIds, outputHiddenStates: true);
            teacherHidden = teacherOutput.HiddenStates.Select(h => h.detach().clone()).ToList();
        }

        var crossEntropy = DistillationLosses.CrossEntropy(output.Logits, batch.Targets, batch.LossMask);
        var hidden = distillation.forward(output.HiddenStates, teacherHidden, batch.LossMask);
        return (crossEntropy + weight * hidden).MoveToOuterDisposeScope();
    }
}
