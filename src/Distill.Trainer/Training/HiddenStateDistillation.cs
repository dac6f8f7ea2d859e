using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Trainer.Training;

/// <summary>
/// Intermediate-layer distillation (FitNets, Romero et al. 2015; TinyBERT, Jiao et al. 2020): a learned linear map
/// W (student hidden → teacher hidden, no bias, TinyBERT's W_h) and the masked MSE between W·h_student and the detached
/// teacher hidden state, averaged over the chosen (student layer, teacher layer) pairs.
/// </summary>
/// <remarks>
/// One projection is shared by every pair: the student's layers live in one residual stream, so one map into the
/// teacher's stream is enough and keeps the parameter count at student_hidden × teacher_hidden. Train it with the
/// student (add its <c>parameters()</c> to the optimizer); drop it after training. The loss is computed in the
/// projection's dtype (float32 by default; float64 after <c>.to(ScalarType.Float64)</c>), so bf16 hidden states are
/// cast up.
/// </remarks>
public sealed class HiddenStateDistillation : nn.Module<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>, Tensor, Tensor>
{
    private readonly Linear projection;

    /// <param name="studentHiddenSize">The student's hidden size (the projection's input).</param>
    /// <param name="teacherHiddenSize">The teacher's hidden size (the projection's output).</param>
    /// <param name="layerPairs">Which student hidden state is matched to which teacher hidden state, as indices into
    /// the lists passed to <see cref="forward"/> (e.g. Hugging Face's <c>hidden_states</c>, where 0 is the embeddings).</param>
    public HiddenStateDistillation(int studentHiddenSize, int teacherHiddenSize, IReadOnlyList<(int StudentLayer, int TeacherLayer)> layerPairs)
        : base(nameof(HiddenStateDistillation))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(studentHiddenSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(teacherHiddenSize);
        if (layerPairs.Count == 0)
        {
            throw new ArgumentException("At least one (studentLayer, teacherLayer) pair is needed.", nameof(layerPairs));
        }

        if (layerPairs.Any(pair => pair.StudentLayer < 0 || pair.TeacherLayer < 0))
        {
            throw new ArgumentException("Layer indices must be non-negative.", nameof(layerPairs));
        }

        StudentHiddenSize = studentHiddenSize;
        TeacherHiddenSize = teacherHiddenSize;
        LayerPairs = [.. layerPairs];
        projection = nn.Linear(studentHiddenSize, teacherHiddenSize, hasBias: false);
        RegisterComponents();
    }

    public int StudentHiddenSize { get; }

    public int TeacherHiddenSize { get; }

    public IReadOnlyList<(int StudentLayer, int TeacherLayer)> LayerPairs { get; }

    /// <summary>The projection's weight, [teacherHidden, studentHidden].</summary>
    public Tensor ProjectionWeight => projection.weight!;

    /// <summary>
    /// Mean over layer pairs of the masked MSE: per token, mean over the teacher's hidden dimension of
    /// (W·h_student - h_teacher)²; then the mean over counted tokens (0 when none count).
    /// </summary>
    /// <param name="studentHidden">Student hidden states, each [batch, seq, studentHidden].</param>
    /// <param name="teacherHidden">Teacher hidden states, each [batch, seq, teacherHidden]; detached here.</param>
    /// <param name="mask">[batch, seq], 1 where the token counts.</param>
    public override Tensor forward(IReadOnlyList<Tensor> studentHidden, IReadOnlyList<Tensor> teacherHidden, Tensor mask)
    {
        if (mask.dim() != 2)
        {
            throw new ArgumentException($"mask must be [batch, seq]; got [{string.Join(", ", mask.shape)}].", nameof(mask));
        }

        using var scope = NewDisposeScope();
        var dtype = projection.weight!.dtype;
        var counted = DistillationLosses.IsCounted(mask);
        var pairLosses = new List<Tensor>(LayerPairs.Count);
        foreach (var (studentLayer, teacherLayer) in LayerPairs)
        {
            var student = Layer(studentHidden, studentLayer, StudentHiddenSize, mask, nameof(studentHidden));
            var teacher = Layer(teacherHidden, teacherLayer, TeacherHiddenSize, mask, nameof(teacherHidden));
            var projectedStudent = projection.forward(student.to(dtype));
            // The teacher is the target: no gradient into it.
            var teacherTarget = teacher.detach().to(dtype);
            // MSE per token, averaged over the hidden dimension so the scale does not grow with the teacher's width.
            var perToken = (projectedStudent - teacherTarget).square().mean([-1]);
            pairLosses.Add(DistillationLosses.MaskedMean(perToken, counted));
        }

        // Average over pairs, so adding layers does not change the loss's scale.
        var loss = stack(pairLosses, 0).mean();
        return loss.MoveToOuterDisposeScope();
    }

    private static Tensor Layer(IReadOnlyList<Tensor> hidden, int index, int size, Tensor mask, string name)
    {
        if (index >= hidden.Count)
        {
            throw new ArgumentException($"{name} has {hidden.Count} hidden states; layer {index} was asked for.", name);
        }

        var state = hidden[index];
        if (state.dim() != 3 || state.shape[0] != mask.shape[0] || state.shape[1] != mask.shape[1] || state.shape[2] != size)
        {
            throw new ArgumentException(
                $"{name}[{index}] must be [batch, seq, hidden] = [{mask.shape[0]}, {mask.shape[1]}, {size}]; got [{string.Join(", ", state.shape)}].",
                name);
        }

        return state;
    }
}
