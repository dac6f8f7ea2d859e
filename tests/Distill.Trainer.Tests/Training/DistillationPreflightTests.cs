using Distill.Trainer.Tests.Tokenization;
using Distill.Trainer.Tokenization;
using Distill.Trainer.Training;

namespace Distill.Trainer.Tests.Training;

public sealed class DistillationPreflightTests
{
    [Fact]
    public void Different_vocabularies_are_explained_before_any_training()
    {
        using var teacher = new TinyByteLevelBpe().WriteCheckpoint();
        using var student = new TinyByteLevelBpe(merges: 40).WriteCheckpoint();

        var error = Assert.Throws<InvalidOperationException>(() =>
            DistillationPreflight.RequireSharedVocabulary(CheckpointTokenizer.Load(teacher.Directory), CheckpointTokenizer.Load(student.Directory)));

        Assert.Contains("vocabulary sizes differ", error.Message);
        Assert.Contains("supervised fine-tuning", error.Message);
    }

    [Fact]
    public void The_same_vocabulary_passes()
    {
        using var teacher = new TinyByteLevelBpe().WriteCheckpoint();
        using var student = new TinyByteLevelBpe().WriteCheckpoint();

        DistillationPreflight.RequireSharedVocabulary(CheckpointTokenizer.Load(teacher.Directory), CheckpointTokenizer.Load(student.Directory));
    }
}
