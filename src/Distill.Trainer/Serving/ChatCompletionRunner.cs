using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Distill.Trainer.Inference;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Distill.Trainer.Serving;

/// <summary>Runs chat completions on served models, as a stream of text that streaming and whole replies share.</summary>
public sealed partial class ChatCompletionRunner(IOptions<ServingOptions> options, ILogger<ChatCompletionRunner> logger)
{
    /// <exception cref="OpenAiException">The conversation does not fit the model's chat format or context window.</exception>
    public PreparedCompletion Prepare(ServedModel model, ChatRequest request)
    {
        int[] prompt;
        try
        {
            prompt = model.Template.Encode(model.Tokenizer, request.Messages, addGenerationPrompt: true).InputIds;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // The model loaded with this template and tokenizer, so what fails here is the conversation itself.
            throw OpenAiException.InvalidRequest("messages", ex.Message, "invalid_value");
        }

        var room = model.ContextLength - prompt.Length;
        var maxTokens = request.MaxTokens ?? Math.Min(options.Value.DefaultMaxTokens, room);
        if (maxTokens > room || room <= 0)
        {
            throw OpenAiException.InvalidRequest(
                "messages",
                $"This model's maximum context length is {model.ContextLength} tokens. However, you requested {prompt.Length + Math.Max(maxTokens, 1)} tokens " +
                $"({prompt.Length} in the messages, {Math.Max(maxTokens, 1)} in the completion). Please reduce the length of the messages or completion.",
                "context_length_exceeded");
        }

        var sampling = new SamplingOptions
        {
            MaxNewTokens = maxTokens,
            Temperature = request.Temperature,
            TopP = request.TopP,
            TopLogprobs = request.Logprobs ? request.TopLogprobs : 0,
            EosTokenIds = model.EndTokenIds,
            // Without a seed OpenAI samples differently each time; with one, the same request repeats.
            Seed = request.Seed ?? Random.Shared.NextInt64(),
        };

        return new PreparedCompletion(model, prompt, sampling, request.Stop);
    }

    /// <summary>
    /// Generates on a thread of its own while the model's gate is held, yielding text as it settles; the last event
    /// carries the end. Cancelling (a client gone) stops the generator at its next token.
    /// </summary>
    public async IAsyncEnumerable<CompletionEvent> RunAsync(PreparedCompletion completion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = completion.Model;
        await model.Gate.WaitAsync(cancellationToken);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = Channel.CreateUnbounded<CompletionEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var clock = Stopwatch.StartNew();
        var ended = false;
        // libtorch keeps per-thread state (dispose scopes): the whole generation stays on this one thread.
        var work = Task.Factory.StartNew(() => Generate(completion, events.Writer, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await foreach (var item in events.Reader.ReadAllAsync(cancellationToken))
            {
                if (item.End is { } end)
                {
                    ended = true;
                    LogCompleted(model.Name, completion.Prompt.Count, end.CompletionTokens, end.FinishReason, clock.ElapsedMilliseconds);
                }

                yield return item;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await work;
            model.Gate.Release();
            if (!ended)
            {
                LogAbandoned(model.Name, completion.Prompt.Count, clock.ElapsedMilliseconds);
            }
        }
    }

    /// <summary>Reports through <paramref name="events"/> only, failures included, so the reader always learns how it ended.</summary>
    private static void Generate(PreparedCompletion completion, ChannelWriter<CompletionEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            var text = new CompletionText(completion.Model.Tokenizer, completion.Stop);
            var generation = completion.Model.Generator.Generate([completion.Prompt], completion.Sampling, (_, token) =>
            {
                Send(text.Add(token));
                return !text.Stopped;
            }, cancellationToken).Single();

            Send(text.Finish());
            var reason = text.Stopped ? "stop" : generation.FinishReason;
            events.TryWrite(new CompletionEvent("", [], new CompletionEnd(reason, completion.Prompt.Count, generation.Tokens.Count)));
            events.TryComplete();
        }
        catch (Exception ex)
        {
            events.TryComplete(ex);
        }

        void Send(TextRelease release)
        {
            if (!release.IsEmpty)
            {
                events.TryWrite(new CompletionEvent(release.Text, release.Tokens));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat completion by {Model}: {PromptTokens} prompt tokens, {CompletionTokens} generated, finished by {FinishReason} in {ElapsedMs} ms")]
    private partial void LogCompleted(string model, int promptTokens, int completionTokens, string finishReason, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat completion by {Model} with {PromptTokens} prompt tokens ended early after {ElapsedMs} ms: the client went away or generation failed")]
    private partial void LogAbandoned(string model, int promptTokens, long elapsedMs);
}
