using Distill.Core.Curation;
using Distill.Core.Datasets;

namespace Distill.UnitTests.Curation;

public sealed class ExactDeduplicationTests
{
    [Fact]
    public void Case_and_whitespace_do_not_make_examples_different()
    {
        var a = Examples.Chat("What is  the capital of France?", "Paris.\n");
        var b = Examples.Chat("what is the capital of\tFRANCE?", "  paris.");

        Assert.Equal("user: what is the capital of france?\nassistant: paris.", ExactDeduplication.NormalizedText(a));
        Assert.Equal(ExactDeduplication.Fingerprint(a), ExactDeduplication.Fingerprint(b));
        Assert.Matches("^[0-9a-f]{64}$", ExactDeduplication.Fingerprint(a));
    }

    [Fact]
    public void Roles_punctuation_and_message_boundaries_do_make_examples_different()
    {
        var asked = Examples.Chat("Paris.", "What is the capital of France?");
        var answered = Examples.Chat("What is the capital of France?", "Paris.");
        var noStop = Examples.Chat("What is the capital of France?", "Paris");
        var oneMessage = new ExampleRecord([new ExampleMessage(ExampleMessage.User, "What is the capital of France?\nassistant: Paris.")], ExampleRecord.NoMetadata);

        Assert.Equal(4, new[] { asked, answered, noStop, oneMessage }.Select(r => ExactDeduplication.Fingerprint(r)).Distinct().Count());
    }

    [Fact]
    public void The_lowest_id_of_each_group_is_kept_whatever_the_row_order()
    {
        var items = new[]
        {
            Examples.Item(7, "Hello", "Hi there"),
            Examples.Item(3, "hello", "HI  THERE"),
            Examples.Item(5, "Bye", "Goodbye"),
            Examples.Item(9, "HELLO ", "hi there"),
        };

        var result = ExactDeduplication.Run(items, new ExactDedupParameters());

        Assert.Equal([3L, 5L], result.Items.Select(i => i.Id));
        Assert.Equal([(7L, 3L), (9L, 3L)], result.Removed.Select(r => (r.Id, r.DuplicateOf!.Value)));
        Assert.Equal(4, result.Counts.Before);
        Assert.Equal(2, result.Counts.After);
        Assert.Equal(2, result.Counts.RemovedByReason[CurationReasons.ExactDuplicate]);
        Assert.Equal(2, result.Counts.Tallies["distinct"]);
    }

    [Fact]
    public void Prompt_scope_keeps_one_answer_per_question()
    {
        var items = new[] { Examples.Item(1, "Tell me a joke", "Knock knock."), Examples.Item(2, "Tell me a joke", "Why did the chicken cross the road?") };

        Assert.Equal(2, ExactDeduplication.Run(items, new ExactDedupParameters()).Counts.After);
        Assert.Equal([1L], ExactDeduplication.Run(items, new ExactDedupParameters(TextScope.Prompt)).KeptIds);
    }
}
