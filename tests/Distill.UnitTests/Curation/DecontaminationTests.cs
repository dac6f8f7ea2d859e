using Distill.Core.Curation;
using Distill.Core.Datasets;

namespace Distill.UnitTests.Curation;

public sealed class DecontaminationTests
{
    private const string EvaluationQuestion =
        "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?";

    [Fact]
    public void Training_items_whose_prompt_repeats_an_evaluation_prompt_are_removed()
    {
        var leaked = Examples.Chat(EvaluationQuestion.ToLowerInvariant().Replace(" in April, and", " during April, and"), "She sold 72 clips.");
        Assert.True(NearDeduplication.Similarity(leaked, Examples.Chat(EvaluationQuestion, "")) >= 0.8, "premise: the rephrased prompt is a near duplicate");
        var items = new[]
        {
            Examples.Item(1, EvaluationQuestion, "Natalia sold 48 + 24 = 72 clips.", DatasetSplits.Test),
            Examples.Item(2, leaked),
            Examples.Item(3, "Tom has 3 apples and buys 5 more. How many apples does he have now?", "8"),
            Examples.Item(4, EvaluationQuestion, "72", DatasetSplits.Validation),
        };

        var result = Decontamination.Run(items, new DecontaminationParameters());

        var removal = Assert.Single(result.Removed);
        Assert.Equal(2, removal.Id);
        Assert.Equal(CurationReasons.EvaluationNearDuplicate, removal.Reason);
        Assert.Equal(1, removal.DuplicateOf);
        Assert.Equal([1L, 3L, 4L], result.KeptIds);
        Assert.Equal(1, result.Counts.RemovedByReason[CurationReasons.EvaluationNearDuplicate]);
        Assert.Equal(1, result.Counts.Tallies["evaluation_examples"]);
        Assert.Equal(2, result.Counts.Tallies["checked_examples"]);
    }

    [Fact]
    public void A_separately_given_evaluation_set_is_used_too_and_validation_can_be_a_target()
    {
        var items = new[]
        {
            Examples.Item(1, EvaluationQuestion, "72"),
            Examples.Item(2, EvaluationQuestion + " ", "seventy-two", DatasetSplits.Validation),
            Examples.Item(3, "What is 2 + 2?", "4"),
        };
        var benchmark = new[] { new ExampleRecord([new ExampleMessage(ExampleMessage.User, EvaluationQuestion)], ExampleRecord.NoMetadata) };

        var result = Decontamination.Run(items, new DecontaminationParameters(TargetSplits: [DatasetSplits.Train, DatasetSplits.Validation]), benchmark);

        Assert.Equal([3L], result.KeptIds);
        Assert.All(result.Removed, r => Assert.Equal("near duplicate of evaluation record 0", r.Detail));
    }

    [Fact]
    public void A_shared_13_word_sequence_removes_an_item_only_when_ngram_overlap_is_on()
    {
        var evaluation = "Read the passage and answer: the quick brown fox jumps over the lazy dog while the farmer sleeps under the old oak tree. What did the fox do?";
        var quoting = "Write a poem for children about farm animals that includes the line the quick brown fox jumps over the lazy dog while the farmer sleeps, and make it rhyme.";
        var twelveWords = "Write a poem for children about farm animals that includes the line the quick brown fox jumps over the lazy dog while the farmer, and make it rhyme.";
        var items = new[]
        {
            Examples.Item(1, evaluation, "It jumped over the dog.", DatasetSplits.Test),
            Examples.Item(2, quoting, "A poem."),
            Examples.Item(3, twelveWords, "Another poem."),
        };
        Assert.True(NearDeduplication.Similarity(items[0].Record, items[1].Record, new NearDedupParameters(Scope: TextScope.Prompt)) < 0.8);

        Assert.Empty(Decontamination.Run(items, new DecontaminationParameters()).Removed);
        var result = Decontamination.Run(items, new DecontaminationParameters(NgramOverlap: true));

        var removal = Assert.Single(result.Removed);
        Assert.Equal(2, removal.Id);
        Assert.Equal(CurationReasons.EvaluationNgramOverlap, removal.Reason);
        Assert.Equal(1, result.Counts.Tallies["matched_ngram_overlap"]);
        Assert.Equal(0, result.Counts.Tallies["matched_near_duplicate"]);
    }

    [Fact]
    public void Without_an_evaluation_set_nothing_is_removed()
    {
        var result = Decontamination.Run([Examples.Item(1, EvaluationQuestion, "72")], new DecontaminationParameters());

        Assert.Empty(result.Removed);
        Assert.Equal(0, result.Counts.Tallies["evaluation_examples"]);
    }

    [Fact]
    public void The_evaluation_split_cannot_also_be_a_target()
    {
        var errors = new DecontaminationParameters(TargetSplits: [DatasetSplits.Train, DatasetSplits.Test]).Validate();

        Assert.Contains("cannot be both", Assert.Single(errors["evaluationSplit"]));
    }
}
