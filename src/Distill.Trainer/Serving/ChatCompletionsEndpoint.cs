using System.Text;
using System.Text.Json;
using Distill.Trainer.Inference;
using Distill.Trainer.Serving.Wire;
using Microsoft.AspNetCore.Http.Features;

namespace Distill.Trainer.Serving;

/// <summary><c>POST /v1/chat/completions</c>: a whole reply as JSON, or with <c>stream</c> a reply as server-sent events.</summary>
public sealed partial class ChatCompletionsEndpoint(ModelRegistry registry, ChatCompletionRunner runner, TimeProvider time, ILogger<ChatCompletionsEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        ChatRequest request;
        PreparedCompletion completion;
        try
        {
            request = await ReadAsync(context.Request, cancellationToken);
            if (!registry.TryGet(request.Model, out var registered))
            {
                throw OpenAiException.ModelNotFound(request.Model);
            }

            completion = runner.Prepare(await LoadAsync(registered, cancellationToken), request);
        }
        catch (OpenAiException error)
        {
            await OpenAiErrors.Result(error).ExecuteAsync(context);
            return;
        }

        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = time.GetUtcNow().ToUnixTimeSeconds();
        try
        {
            if (request.Stream)
            {
                await StreamAsync(context, request, completion, id, created);
            }
            else
            {
                await ReplyAsync(context, request, completion, id, created);
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away, and with it anyone to tell; the runner has already stopped generating.
        }
        catch (Exception ex)
        {
            LogGenerationFailed(ex, request.Model);
            var error = OpenAiException.Server("The server had an error while generating the reply.");
            if (context.Response.HasStarted)
            {
                await SendAsync(context.Response, ErrorResponse.From(error), CancellationToken.None);
            }
            else
            {
                await OpenAiErrors.Result(error).ExecuteAsync(context);
            }
        }
    }

    private static async Task<ChatRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return ChatRequestParser.Parse(body.RootElement);
        }
        catch (JsonException)
        {
            throw OpenAiException.InvalidRequest(null, "We could not parse the JSON body of your request. The body must be a JSON object.");
        }
    }

    private static async Task<ServedModel> LoadAsync(RegisteredModel registered, CancellationToken cancellationToken)
    {
        try
        {
            return await registered.GetLoadedAsync(cancellationToken);
        }
        catch (ModelLoadException ex)
        {
            throw OpenAiException.Server(ex.Message, "model_load_failed");
        }
    }

    private async Task ReplyAsync(HttpContext context, ChatRequest request, PreparedCompletion completion, string id, long created)
    {
        var text = new StringBuilder();
        var tokens = new List<GeneratedToken>();
        CompletionEnd? end = null;
        await foreach (var step in runner.RunAsync(completion, context.RequestAborted))
        {
            text.Append(step.Text);
            tokens.AddRange(step.Tokens);
            end = step.End ?? end;
        }

        if (end is null)
        {
            throw new InvalidOperationException("The completion ended without saying why.");
        }

        var logprobs = request.Logprobs ? LogprobEntries.From(completion.Model.Tokenizer, tokens) : null;
        var choice = new ChatChoice(0, new ChatReplyMessage(text.ToString()), logprobs, end.FinishReason);
        var reply = new ChatCompletionResponse(id, created, request.Model, [choice], new ChatUsage(end.PromptTokens, end.CompletionTokens));
        await Results.Json(reply, OpenAiJson.Options).ExecuteAsync(context);
    }

    private async Task StreamAsync(HttpContext context, ChatRequest request, PreparedCompletion completion, string id, long created)
    {
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        ChatCompletionChunk Chunk(ChunkDelta delta, ChatLogprobs? logprobs = null, string? finishReason = null) =>
            new(id, created, request.Model, [new ChunkChoice(0, delta, logprobs, finishReason)]);

        await SendAsync(response, Chunk(new ChunkDelta(Role: "assistant", Content: "")), cancellationToken);
        await foreach (var step in runner.RunAsync(completion, cancellationToken))
        {
            if (step.Text.Length > 0 || (request.Logprobs && step.Tokens.Count > 0))
            {
                var logprobs = request.Logprobs ? LogprobEntries.From(completion.Model.Tokenizer, step.Tokens) : null;
                await SendAsync(response, Chunk(new ChunkDelta(Content: step.Text), logprobs), cancellationToken);
            }

            if (step.End is { } end)
            {
                await SendAsync(response, Chunk(new ChunkDelta(), finishReason: end.FinishReason), cancellationToken);
                if (request.IncludeUsage)
                {
                    await SendAsync(response, new ChatCompletionChunk(id, created, request.Model, [], new ChatUsage(end.PromptTokens, end.CompletionTokens)), cancellationToken);
                }
            }
        }

        await response.WriteAsync("data: [DONE]\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task SendAsync<T>(HttpResponse response, T payload, CancellationToken cancellationToken)
    {
        await response.WriteAsync($"data: {JsonSerializer.Serialize(payload, OpenAiJson.Options)}\n\n", cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Generating a chat completion with model {Model} failed")]
    private partial void LogGenerationFailed(Exception exception, string model);
}
