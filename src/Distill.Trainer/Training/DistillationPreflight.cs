using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Training;

/// <summary>Checks that cost nothing and save a wasted run: they happen before any model is loaded or trained.</summary>
public static class DistillationPreflight
{
    /// <summary>
    /// Token-level distillation compares the teacher's and the student's distributions token by token, which only
    /// means something when both number the same tokens the same way.
    /// </summary>
    public static void RequireSharedVocabulary(CheckpointTokenizer teacher, CheckpointTokenizer student)
    {
        if (!teacher.HasSameVocabulary(student, out var difference))
        {
            throw new InvalidOperationException(
                $"Token-level distillation needs the teacher and the student to share one vocabulary, and theirs differ ({difference}): " +
                "a teacher probability for token i would be compared with the student's for a different token. " +
                "Distil from the teacher's text instead (supervised fine-tuning), which works across tokenizers.");
        }
    }
}
