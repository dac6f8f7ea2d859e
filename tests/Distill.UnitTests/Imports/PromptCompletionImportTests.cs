using Distill.Core.Datasets;
using Distill.Core.Imports;
using static Distill.UnitTests.Imports.ImportKit;

namespace Distill.UnitTests.Imports;

public sealed class PromptCompletionImportTests
{
    private static readonly ImportOptions Options = new(ImportFormat.PromptCompletion);

    [Fact]
    public void A_prompt_and_completion_become_a_user_and_an_assistant_turn()
    {
        var accepted = SingleAccepted("""{"prompt":"2+2?","completion":"4","metadata":{"set":"math"}}""", Options);

        Assert.Equal([new ExampleMessage("user", "2+2?"), new ExampleMessage("assistant", "4")], accepted.Example.Messages);
        Assert.Equal("math", accepted.Example.Metadata["set"]);
    }

    [Fact]
    public void A_missing_completion_is_a_prompt_for_a_teacher_but_not_training_data()
    {
        Assert.Single(SingleAccepted("""{"prompt":"2+2?"}""", Options).Example.Messages);
        Assert.Equal(["line 1: completion: missing; training data needs the reply to learn from"],
            SingleRejected("""{"prompt":"2+2?"}""", Options with { RequireAssistantReply = true }));
    }

    [Fact]
    public void Types_and_blanks_are_reported_per_field()
    {
        Assert.Equal(["line 1: prompt: expected a string, got a number", "line 1: completion: empty"],
            SingleRejected("""{"prompt":5,"completion":" "}""", Options));
        Assert.Equal(["line 1: prompt: missing (this line has messages: import the file in the chat format)"],
            SingleRejected(ChatLine(User("Hi")), Options));
    }
}
