using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Trainer.Training;

/// <summary>
/// The token-level distillation losses, written out formula by formula.
/// </summary>
/// <remarks>
/// <para>Shapes: logits are <c>[batch, seq, vocab]</c>, the mask is <c>[batch, seq]</c> with 1 (or true) where a token
/// counts (e.g. assistant tokens only) and 0 elsewhere. Every sequence loss returns a scalar: the sum of the per-token
/// loss over counted tokens divided by the number of counted tokens, and 0 (not NaN) when no token counts. Masked
/// positions never touch the value or the gradient: their per-token loss is selected away with <c>where</c>, so
/// padding logits, <c>-100</c> targets or garbage top-k ids there are harmless.</para>
/// <para>Precision: float64 inputs are computed in float64 (for gradient checks); everything else (bf16, fp16, fp32) is
/// cast up to float32 first, since TorchSharp has no autocast and softmax in bf16 is too coarse.</para>
/// <para>The teacher is a fixed target: teacher logits are detached, so no gradient flows into a teacher model.</para>
/// </remarks>
public static class DistillationLosses
{
    /// <summary>
    /// Sequence-level KD (Kim &amp; Rush 2016): plain SFT on the teacher's text. Position t predicts
    /// <paramref name="targetIds"/>[t] (the caller has already shifted).
    /// </summary>
    /// <param name="studentLogits">[batch, seq, vocab].</param>
    /// <param name="targetIds">[batch, seq] int64; values at masked positions are ignored (may be -100).</param>
    /// <param name="mask">[batch, seq], 1 where the token counts.</param>
    public static Tensor CrossEntropy(Tensor studentLogits, Tensor targetIds, Tensor mask)
    {
        CheckLogits(studentLogits, mask, nameof(studentLogits));
        CheckIds(targetIds, studentLogits, 2, nameof(targetIds));
        using var scope = NewDisposeScope();

        var counted = IsCounted(mask);
        var studentLogProbs = InLossPrecision(studentLogits).log_softmax(-1);
        // Masked positions may hold an ignore index such as -100: point them at token 0 so gather stays in range.
        var safeTargets = where(counted, targetIds, zeros_like(targetIds));
        // CE = -log q(y_t): the student's log-probability of the teacher's token.
        var targetLogProbs = studentLogProbs.gather(-1, safeTargets.unsqueeze(-1)).squeeze(-1);
        var perToken = -targetLogProbs;

        return MaskedMean(perToken, counted).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Forward KL, KL(p_teacher,T || p_student,T) · T² (Hinton et al. 2015): mode-covering, the classic KD loss.
    /// </summary>
    public static Tensor ForwardKl(Tensor studentLogits, Tensor teacherLogits, Tensor mask, double temperature = 1.0)
    {
        CheckPair(studentLogits, teacherLogits, mask);
        CheckTemperature(temperature);
        using var scope = NewDisposeScope();

        var counted = IsCounted(mask);
        var (studentLogProbs, teacherLogProbs) = TemperedLogProbs(studentLogits, teacherLogits, temperature);
        // KL(p || q) = sum_v p (log p - log q), p = teacher.
        var perToken = KlPerToken(teacherLogProbs, studentLogProbs);
        // Hinton's T²: softened targets shrink gradients by 1/T², so the loss scale stays T-independent.
        var scaled = perToken * (temperature * temperature);

        return MaskedMean(scaled, counted).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Reverse KL, KL(p_student,T || p_teacher,T) · T² (MiniLLM, Gu et al. 2024): mode-seeking, the student may drop
    /// teacher modes it cannot fit rather than smear mass over them.
    /// </summary>
    public static Tensor ReverseKl(Tensor studentLogits, Tensor teacherLogits, Tensor mask, double temperature = 1.0)
    {
        CheckPair(studentLogits, teacherLogits, mask);
        CheckTemperature(temperature);
        using var scope = NewDisposeScope();

        var counted = IsCounted(mask);
        var (studentLogProbs, teacherLogProbs) = TemperedLogProbs(studentLogits, teacherLogits, temperature);
        // KL(q || p) = sum_v q (log q - log p), q = student: the gradient also flows through the weights q.
        var perToken = KlPerToken(studentLogProbs, teacherLogProbs);
        var scaled = perToken * (temperature * temperature);

        return MaskedMean(scaled, counted).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Generalized Jensen-Shannon divergence of GKD (Agarwal et al. 2024), times T²:
    /// m = β·p_teacher + (1-β)·p_student, JSD(β) = β·KL(p_teacher || m) + (1-β)·KL(p_student || m).
    /// </summary>
    /// <remarks>
    /// The raw JSD(β) vanishes at β = 0 and β = 1 (m equals one of the two). GKD (and TRL's GKDTrainer) uses the limits of
    /// the normalised divergence instead: JSD(β)/β → KL(teacher || student) as β → 0 and JSD(β)/(1-β) →
    /// KL(student || teacher) as β → 1. So <paramref name="beta"/> = 0 returns exactly <see cref="ForwardKl"/> and
    /// <paramref name="beta"/> = 1 exactly <see cref="ReverseKl"/>; in between the value is the raw JSD(β), which is
    /// small (about β·KL) near the ends.
    /// </remarks>
    public static Tensor GeneralizedJsd(Tensor studentLogits, Tensor teacherLogits, Tensor mask, double beta = 0.5, double temperature = 1.0)
    {
        CheckPair(studentLogits, teacherLogits, mask);
        CheckTemperature(temperature);
        if (!(beta >= 0 && beta <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be in [0, 1].");
        }

        if (beta == 0)
        {
            return ForwardKl(studentLogits, teacherLogits, mask, temperature);
        }

        if (beta == 1)
        {
            return ReverseKl(studentLogits, teacherLogits, mask, temperature);
        }

        using var scope = NewDisposeScope();

        var counted = IsCounted(mask);
        var (studentLogProbs, teacherLogProbs) = TemperedLogProbs(studentLogits, teacherLogits, temperature);
        // log m = logsumexp(log β + log p_teacher, log(1-β) + log p_student): never forms the mixture in probability space.
        var weightedTeacher = teacherLogProbs + Math.Log(beta);
        var weightedStudent = studentLogProbs + Math.Log(1 - beta);
        var mixtureLogProbs = stack([weightedTeacher, weightedStudent], 0).logsumexp(0);
        var teacherToMixture = KlPerToken(teacherLogProbs, mixtureLogProbs);
        var studentToMixture = KlPerToken(studentLogProbs, mixtureLogProbs);
        var perToken = teacherToMixture * beta + studentToMixture * (1 - beta);
        var scaled = perToken * (temperature * temperature);

        return MaskedMean(scaled, counted).MoveToOuterDisposeScope();
    }

    /// <summary>The usual blend of a distillation loss with the hard-label loss: α·kd + (1-α)·ce.</summary>
    public static Tensor Mix(Tensor ceLoss, Tensor kdLoss, double alpha)
    {
        if (!(alpha >= 0 && alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be in [0, 1].");
        }

        using var scope = NewDisposeScope();
        var mixed = kdLoss * alpha + ceLoss * (1 - alpha);
        return mixed.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// KL(teacher || student) on the k+1 buckets an API teacher exposes: its top-k tokens (OpenAI's
    /// <c>top_logprobs</c>) plus one tail bucket holding all remaining probability mass.
    /// </summary>
    /// <param name="studentLogits">[batch, seq, vocab].</param>
    /// <param name="teacherTopIds">[batch, seq, k] int64, distinct ids per position; ignored at masked positions.</param>
    /// <param name="teacherTopLogprobs">[batch, seq, k] natural-log probabilities as the API returns them; an unused slot
    /// may hold -inf (or a very negative number such as OpenAI's -9999) with a distinct id.</param>
    /// <param name="mask">[batch, seq], 1 where the token counts.</param>
    /// <param name="temperature">Softens the student only. The teacher's log-probs are taken as given, at T = 1:
    /// an API returns top-k of its untempered distribution and its tail cannot be re-tempered without the full
    /// vocabulary. Hence there is no T² factor either (Hinton's 1/T² gradient shrinkage needs both sides softened).
    /// Default 1, which is what the API's numbers mean.</param>
    /// <remarks>
    /// Teacher buckets: p_i = exp(topLogprob_i), p_tail = max(0, 1 - Σ p_i), renormalised to sum to 1 (APIs round, so
    /// Σ p_i can exceed 1 slightly; a tail below 4·k machine epsilons is rounding noise and counts as 0). Student
    /// buckets: q_i = q(id_i) and q_tail = 1 - Σ q_i, computed as the logsumexp of the student's log-probs outside the
    /// top-k rather than as a difference, so a tiny tail keeps its precision. A zero teacher tail contributes nothing
    /// (0·log 0 = 0).
    /// </remarks>
    public static Tensor SparseTopKKl(Tensor studentLogits, Tensor teacherTopIds, Tensor teacherTopLogprobs, Tensor mask, double temperature = 1.0)
    {
        CheckLogits(studentLogits, mask, nameof(studentLogits));
        CheckIds(teacherTopIds, studentLogits, 3, nameof(teacherTopIds));
        if (!teacherTopLogprobs.shape.SequenceEqual(teacherTopIds.shape))
        {
            throw new ArgumentException(
                $"teacherTopLogprobs has shape {Shape(teacherTopLogprobs)}; it must match teacherTopIds {Shape(teacherTopIds)}.",
                nameof(teacherTopLogprobs));
        }

        CheckTemperature(temperature);
        using var scope = NewDisposeScope();

        var counted = IsCounted(mask);
        var countedSlots = counted.unsqueeze(-1);
        var studentScaled = InLossPrecision(studentLogits) / temperature;
        var dtype = studentScaled.dtype;

        // Masked positions may carry padding ids (-1) or logprobs (NaN): replace them with harmless values.
        var topIds = where(countedSlots, teacherTopIds, zeros_like(teacherTopIds));
        var givenLogprobs = teacherTopLogprobs.detach().to(dtype);
        var topLogprobs = where(countedSlots, givenLogprobs, zeros_like(givenLogprobs));

        // Teacher tail: 1 - Σ exp(l_i) = -expm1(logsumexp l), clamped at 0 (log 0 = -inf is fine: the teacher is detached).
        var teacherTopMassLog = topLogprobs.logsumexp(-1, keepdim: true);
        var teacherTailRaw = -teacherTopMassLog.expm1();
        // A tail within a few ulps per top-k term of 0 is rounding noise of the given numbers (e.g. a top-k covering the
        // whole vocabulary): call it 0, or it would meet a student tail of exactly 0 and give an enormous KL term.
        var noiseFloor = 4.0 * teacherTopIds.shape[2] * MachineEpsilon(dtype);
        var teacherTail = where(teacherTailRaw > noiseFloor, teacherTailRaw, zeros_like(teacherTailRaw));
        var teacherBucketsRaw = cat([topLogprobs, teacherTail.log()], -1);
        // Renormalise over the k+1 buckets: a no-op unless the API's rounded top-k mass exceeded 1.
        var teacherLogBuckets = teacherBucketsRaw - teacherBucketsRaw.logsumexp(-1, keepdim: true);

        // Student buckets: its log-probs at the teacher's ids, and its tail = logsumexp over every other token.
        var studentLogProbs = studentScaled.log_softmax(-1);
        var studentTopLogProbs = studentLogProbs.gather(-1, topIds);
        // The lowest finite value rather than -inf: exp gives 0 all the same, but a vocabulary fully covered by the
        // top-k then yields a finite (huge negative) tail instead of a NaN gradient out of logsumexp.
        var lowest = full_like(studentTopLogProbs, dtype == ScalarType.Float64 ? double.MinValue : float.MinValue);
        var outsideTopK = studentLogProbs.scatter(-1, topIds, lowest);
        var studentLogTail = outsideTopK.logsumexp(-1, keepdim: true);
        var studentLogBuckets = cat([studentTopLogProbs, studentLogTail], -1);

        var perToken = KlPerToken(teacherLogBuckets, studentLogBuckets);
        return MaskedMean(perToken, counted).MoveToOuterDisposeScope();
    }

    /// <summary>Σ loss·mask / Σ mask over a binary mask; 0 when nothing counts.</summary>
    internal static Tensor MaskedMean(Tensor perToken, Tensor counted)
    {
        using var scope = NewDisposeScope();
        // where, not multiply: 0·NaN or 0·inf at a padded position would otherwise leak into the sum.
        var kept = where(counted, perToken, zeros_like(perToken));
        // At least 1 in the denominator: a fully masked batch gives 0/1 = 0, not 0/0.
        var countedTokens = counted.sum().to(perToken.dtype).clamp_min(1);
        return (kept.sum() / countedTokens).MoveToOuterDisposeScope();
    }

    /// <summary>Float64 stays float64 (gradient checks); bf16, fp16 and fp32 are computed in float32.</summary>
    internal static Tensor InLossPrecision(Tensor tensor) =>
        tensor.dtype == ScalarType.Float64 ? tensor.alias() : tensor.to(ScalarType.Float32);

    /// <summary>The gap between 1 and the next representable number in <paramref name="dtype"/> (float32 or float64).</summary>
    private static double MachineEpsilon(ScalarType dtype) =>
        dtype == ScalarType.Float64 ? Math.BitIncrement(1.0) - 1.0 : MathF.BitIncrement(1f) - 1f;

    /// <summary>The 0/1 (or bool) mask as bool, true where a token counts.</summary>
    internal static Tensor IsCounted(Tensor mask) => mask.dtype == ScalarType.Bool ? mask.alias() : mask.ne(0);

    /// <summary>Σ_v p (log p - log q) per token; terms with p = 0 are 0 (the 0·log 0 = 0 convention), not NaN.</summary>
    private static Tensor KlPerToken(Tensor pLogProbs, Tensor qLogProbs)
    {
        using var scope = NewDisposeScope();
        var p = pLogProbs.exp();
        var terms = p * (pLogProbs - qLogProbs);
        var safeTerms = where(p > 0, terms, zeros_like(terms));
        return safeTerms.sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary>log softmax(z / T) of student and (detached) teacher, both in the student's loss precision.</summary>
    private static (Tensor Student, Tensor Teacher) TemperedLogProbs(Tensor studentLogits, Tensor teacherLogits, double temperature)
    {
        var studentScaled = InLossPrecision(studentLogits) / temperature;
        var teacherScaled = teacherLogits.detach().to(studentScaled.dtype) / temperature;
        return (studentScaled.log_softmax(-1), teacherScaled.log_softmax(-1));
    }

    private static void CheckLogits(Tensor logits, Tensor mask, string name)
    {
        if (logits.dim() != 3)
        {
            throw new ArgumentException($"{name} must be [batch, seq, vocab]; got {Shape(logits)}.", name);
        }

        if (!logits.is_floating_point())
        {
            throw new ArgumentException($"{name} must be floating point; got {logits.dtype}.", name);
        }

        if (mask.dim() != 2 || mask.shape[0] != logits.shape[0] || mask.shape[1] != logits.shape[1])
        {
            throw new ArgumentException(
                $"mask must be [batch, seq] = [{logits.shape[0]}, {logits.shape[1]}]; got {Shape(mask)}.", nameof(mask));
        }
    }

    private static void CheckPair(Tensor studentLogits, Tensor teacherLogits, Tensor mask)
    {
        CheckLogits(studentLogits, mask, nameof(studentLogits));
        if (!teacherLogits.shape.SequenceEqual(studentLogits.shape))
        {
            throw new ArgumentException(
                $"teacherLogits has shape {Shape(teacherLogits)}; it must match studentLogits {Shape(studentLogits)} " +
                "(same tokenizer and vocabulary).", nameof(teacherLogits));
        }
    }

    private static void CheckIds(Tensor ids, Tensor logits, int rank, string name)
    {
        if (ids.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"{name} must be int64; got {ids.dtype}.", name);
        }

        if (ids.dim() != rank || ids.shape[0] != logits.shape[0] || ids.shape[1] != logits.shape[1])
        {
            throw new ArgumentException(
                $"{name} must be [batch, seq{(rank == 3 ? ", k" : "")}] with batch, seq = {logits.shape[0]}, {logits.shape[1]}; got {Shape(ids)}.",
                name);
        }
    }

    private static string Shape(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}]";

    private static void CheckTemperature(double temperature)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be a positive finite number.");
        }
    }
}
