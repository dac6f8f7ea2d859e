using System.Text;
using Distill.Trainer.Checkpoints;
using Distill.Trainer.Inference;
using Distill.Trainer.Models;
using Distill.Trainer.Tokenization;
using OpenAI.Chat;
using TrainerChat = Distill.Trainer.Tokenization.ChatMessage;

namespace Distill.Trainer.Tests.Serving;

/// <summary>Chat completions through the official OpenAI SDK against the real endpoints.</summary>
public sealed class ChatCompletionsApiTests(ServingHost host) : IClassFixture<ServingHost>
{
    private const string System = "You are terse.";
    private const string Question = "Hello there! How are you?";

    private static readonly OpenAI.Chat.ChatMessage[] Messages = [new SystemChatMessage(System), new UserChatMessage(Question)];

    [Fact]
    public async Task A_greedy_reply_is_what_the_generator_and_tokenizer_give_and_usage_counts_the_tokens()
    {
        var (expected, promptLength, generated) = Reference(maxTokens: 8);

        var completion = (await host.Chat().CompleteChatAsync(Messages, Greedy(8))).Value;

        Assert.NotEmpty(expected);
        Assert.Equal(expected, completion.Content.Single().Text);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.StartsWith("chatcmpl-", completion.Id);
        Assert.Equal(promptLength, completion.Usage.InputTokenCount);
        Assert.Equal(generated.Tokens.Count, completion.Usage.OutputTokenCount);
        Assert.Equal(promptLength + generated.Tokens.Count, completion.Usage.TotalTokenCount);
        Assert.Equal(generated.FinishReason == "length" ? ChatFinishReason.Length : ChatFinishReason.Stop, completion.FinishReason);
        Assert.Empty(completion.ContentTokenLogProbabilities);
    }

    [Fact]
    public async Task Content_sent_as_text_parts_reads_as_the_same_text()
    {
        var parts = new UserChatMessage(ChatMessageContentPart.CreateTextPart("Hello there! "), ChatMessageContentPart.CreateTextPart("How are you?"));

        var whole = (await host.Chat().CompleteChatAsync(Messages, Greedy(4))).Value;
        var fromParts = (await host.Chat().CompleteChatAsync([new SystemChatMessage(System), parts], Greedy(4))).Value;

        Assert.Equal(whole.Content.Single().Text, fromParts.Content.Single().Text);
        Assert.Equal(whole.Usage.InputTokenCount, fromParts.Usage.InputTokenCount);
    }

    [Fact]
    public async Task Streamed_deltas_add_up_to_the_whole_reply_and_the_last_update_carries_usage()
    {
        var whole = (await host.Chat().CompleteChatAsync(Messages, Greedy(8))).Value;

        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in host.Chat().CompleteChatStreamingAsync(Messages, Greedy(8)))
        {
            updates.Add(update);
        }

        Assert.Equal(ChatMessageRole.Assistant, updates[0].Role);
        Assert.Equal(whole.Content.Single().Text, string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text)));
        Assert.Equal(whole.FinishReason, updates.Single(u => u.FinishReason is not null).FinishReason);
        Assert.All(updates[..^1], u => Assert.Null(u.Usage));
        Assert.Equal(whole.Usage.InputTokenCount, updates[^1].Usage.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, updates[^1].Usage.OutputTokenCount);
        Assert.Equal(updates[0].CompletionId, updates[^1].CompletionId);
    }

    [Fact]
    public async Task Logprobs_come_per_token_with_sorted_alternatives_led_by_the_greedy_choice()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 6, IncludeLogProbabilities = true, TopLogProbabilityCount = 3 };

        var completion = (await host.Chat().CompleteChatAsync(Messages, options)).Value;
        var streamed = new List<ChatTokenLogProbabilityDetails>();
        await foreach (var update in host.Chat().CompleteChatStreamingAsync(Messages, options))
        {
            streamed.AddRange(update.ContentTokenLogProbabilities);
        }

        var tokens = completion.ContentTokenLogProbabilities;
        Assert.Equal(completion.Usage.OutputTokenCount, tokens.Count);
        Assert.All(tokens, token =>
        {
            Assert.Equal(3, token.TopLogProbabilities.Count);
            Assert.Equal(token.TopLogProbabilities.Select(t => t.LogProbability).OrderDescending(), token.TopLogProbabilities.Select(t => t.LogProbability));
            Assert.Equal(token.Token, token.TopLogProbabilities[0].Token);
            Assert.Equal(token.LogProbability, token.TopLogProbabilities[0].LogProbability, 4);
            Assert.True(token.LogProbability <= 0);
            Assert.NotNull(token.Utf8Bytes);
        });
        Assert.Equal(tokens.Select(t => (t.Token, t.LogProbability)), streamed.Select(t => (t.Token, t.LogProbability)));
    }

    [Fact]
    public async Task Max_tokens_cuts_the_reply_with_finish_reason_length()
    {
        var completion = (await host.Chat().CompleteChatAsync(Messages, Greedy(3))).Value;

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task A_stop_string_ends_the_reply_and_is_left_out_streaming_or_not()
    {
        var free = (await host.Chat().CompleteChatAsync(Messages, Greedy(8))).Value.Content.Single().Text;
        Assert.True(free.Length >= 4, $"The tiny model's reply '{free}' is too short to cut.");
        var stop = free.Substring(2, 2);
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 8, StopSequences = { stop, "never appears" } };

        var stopped = (await host.Chat().CompleteChatAsync(Messages, options)).Value;
        var streamed = new StringBuilder();
        await foreach (var update in host.Chat().CompleteChatStreamingAsync(Messages, options))
        {
            streamed.AppendJoin("", update.ContentUpdate.Select(p => p.Text));
        }

        Assert.Equal(free[..free.IndexOf(stop, StringComparison.Ordinal)], stopped.Content.Single().Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
        Assert.Equal(stopped.Content.Single().Text, streamed.ToString());
    }

    private static ChatCompletionOptions Greedy(int maxTokens) => new() { Temperature = 0, MaxOutputTokenCount = maxTokens };

    /// <summary>The reply computed without the server: the checkpoint, its chat template and the generator directly.</summary>
    private (string Text, int PromptLength, Generation Generation) Reference(int maxTokens)
    {
        using var checkpoint = HuggingFaceCheckpoint.Load(host.CheckpointDirectory);
        using var model = new LlamaForCausalLM(checkpoint.Config);
        model.LoadWeights(checkpoint.Tensors);
        var tokenizer = CheckpointTokenizer.Load(host.CheckpointDirectory);
        var prompt = ChatTemplate.Load(host.CheckpointDirectory)
            .Encode(tokenizer, [TrainerChat.System(System), TrainerChat.User(Question)], addGenerationPrompt: true)
            .InputIds;

        var generation = new TokenGenerator(model)
            .Generate([prompt], new SamplingOptions { MaxNewTokens = maxTokens, EosTokenIds = host.EndTokenIds })
            .Single();
        return (tokenizer.Decode(generation.TokenIds, skipSpecialTokens: true), prompt.Length, generation);
    }
}
