using Distill.Trainer.Models;
using Distill.Trainer.Tests.Models;
using Distill.Trainer.Tests.Tokenization;
using Distill.Trainer.Tokenization;
using Distill.Trainer.Training;
using static TorchSharp.torch;

namespace Distill.Trainer.Tests.Training;

public sealed class ChatExamplesTests
{
    private static readonly IReadOnlyList<ChatMessage>[] Conversations =
    [
        [ChatMessage.System("Be brief."), ChatMessage.User("What is the capital of France?"), ChatMessage.Assistant("Paris.")],
        [ChatMessage.User("Count to three."), ChatMessage.Assistant("One, two, three."), ChatMessage.User("And back?"), ChatMessage.Assistant("Three, two, one.")],
    ];

    [Fact]
    public void The_loss_counts_exactly_the_assistant_replies_and_their_end_tokens()
    {
        using var files = new TinyByteLevelBpe().WriteCheckpoint(ChatTemplates.Qwen2);
        var tokenizer = CheckpointTokenizer.Load(files.Directory);
        var examples = new ChatExamples(Conversations, tokenizer, ChatTemplate.Load(files.Directory), maxTokens: 512);

        using var batch = examples.Load([0, 1]);

        for (var row = 0; row < 2; row++)
        {
            var counted = Enumerable.Range(0, (int)batch.Targets.shape[1])
                .Where(t => batch.LossMask[row, t].item<float>() == 1)
                .Select(t => (int)batch.Targets[row, t].item<long>())
                .ToList();
            var replies = Conversations[row].Where(m => m.Role == ChatRole.Assistant).Select(m => m.Content + "<|im_end|>");
            Assert.Equal(string.Concat(replies), tokenizer.Decode(counted));
        }

        Assert.Equal(0, examples.Truncated);
    }

    [Fact]
    public void Truncation_keeps_the_start_and_drops_conversations_left_without_a_reply()
    {
        using var files = new TinyByteLevelBpe().WriteCheckpoint(ChatTemplates.Qwen2);
        var tokenizer = CheckpointTokenizer.Load(files.Directory);
        var template = ChatTemplate.Load(files.Directory);
        var firstReplyEnds = template.Encode(tokenizer, Conversations[1]).AssistantMask.ToList().IndexOf(1) + 3;

        var examples = new ChatExamples(Conversations, tokenizer, template, maxTokens: firstReplyEnds);

        Assert.Equal(2, examples.Truncated);
        Assert.Equal(1, examples.WithoutReply);
        Assert.Equal(1, examples.Count);
        using var batch = examples.Load([0]);
        Assert.Equal(firstReplyEnds - 1, batch.InputIds.shape[1]);
    }

    [Fact]
    public void A_model_learns_the_replies_of_its_conversations()
    {
        using var files = new TinyByteLevelBpe().WriteCheckpoint(ChatTemplates.Qwen2);
        var tokenizer = CheckpointTokenizer.Load(files.Directory);
        var examples = new ChatExamples(Conversations, tokenizer, ChatTemplate.Load(files.Directory), maxTokens: 512);
        manual_seed(3);
        using var student = new LlamaForCausalLM(TinyConfigs.For(ModelFamily.Qwen2) with { VocabSize = tokenizer.VocabSize });
        var loop = new TrainingLoop(student, new SupervisedFineTuning(), examples, examples,
            new TrainingOptions { MaxSteps = 40, BatchSize = 2, LearningRate = 1e-2, MinLearningRate = 1e-3, WarmupSteps = 4, EvaluateEvery = 40 });
        var before = loop.Evaluate();

        var history = loop.Run();

        Assert.True(history[^1].ValidationLoss < before / 3, $"{before} -> {history[^1].ValidationLoss}");
    }
}
