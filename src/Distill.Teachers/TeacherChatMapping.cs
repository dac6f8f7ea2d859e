using System.Text.Json;
using Distill.Core.Datasets;
using Distill.Core.Teachers;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Distill.Teachers;

/// <summary>Between our shapes (ExampleMessage, TeacherRequest, TeacherAnswer) and Microsoft.Extensions.AI's.</summary>
internal static class TeacherChatMapping
{
    private static readonly ChatRole Developer = new(ExampleMessage.Developer);

    public static List<AIChatMessage> ToMessages(IReadOnlyList<ExampleMessage> messages) => messages.Select(ToMessage).ToList();

    public static ChatOptions ToOptions(Teacher teacher, TeacherRequest request)
    {
        var options = new ChatOptions { Temperature = request.Temperature, MaxOutputTokens = request.MaxOutputTokens };
        var logprobs = teacher.SupportsLogprobs && request.TopLogprobs is not null;
        // store/metadata are OpenAI's and Azure's; a local Trainer or a vLLM server has no stored completions to keep.
        var store = teacher.Kind != TeacherKind.Local && (request.Store ?? teacher.StoreCompletions);
        if (logprobs || store)
        {
            // Options Microsoft.Extensions.AI has no abstraction for go through the SDK's own options object;
            // the properties set on ChatOptions above are applied on top of it.
            options.RawRepresentationFactory = _ =>
            {
                var raw = new ChatCompletionOptions();
                if (logprobs)
                {
                    raw.IncludeLogProbabilities = true;
                    raw.TopLogProbabilityCount = request.TopLogprobs > 0 ? request.TopLogprobs : null;
                }

                if (store)
                {
                    raw.StoredOutputEnabled = true;
                    foreach (var (key, value) in request.Metadata ?? ExampleRecord.NoMetadata)
                    {
                        raw.Metadata[key] = value;
                    }
                }

                return raw;
            };
        }

        return options;
    }

    public static TeacherAnswer ToAnswer(Teacher teacher, ChatResponse response, TimeSpan latency)
    {
        var completion = response.RawRepresentation as ChatCompletion;
        var input = response.Usage?.InputTokenCount ?? 0;
        var output = response.Usage?.OutputTokenCount ?? 0;
        return new TeacherAnswer(
            response.Text,
            response.FinishReason?.Value,
            input,
            output,
            ToLogprobs(completion?.ContentTokenLogProbabilities),
            response.ResponseId ?? completion?.Id,
            response.ModelId ?? completion?.Model,
            latency,
            teacher.CostOf(input, output));
    }

    /// <summary>A stored completion read back from the service: same fields, no latency of ours.</summary>
    public static TeacherAnswer ToAnswer(Teacher teacher, ChatCompletion completion)
    {
        var input = completion.Usage?.InputTokenCount ?? 0;
        var output = completion.Usage?.OutputTokenCount ?? 0;
        var finish = completion.FinishReason switch
        {
            OpenAI.Chat.ChatFinishReason.Stop => "stop",
            OpenAI.Chat.ChatFinishReason.Length => "length",
            OpenAI.Chat.ChatFinishReason.ContentFilter => "content_filter",
            OpenAI.Chat.ChatFinishReason.ToolCalls => "tool_calls",
            OpenAI.Chat.ChatFinishReason.FunctionCall => "function_call",
            _ => null,
        };
        return new TeacherAnswer(
            string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text)),
            finish,
            input,
            output,
            ToLogprobs(completion.ContentTokenLogProbabilities),
            completion.Id,
            completion.Model,
            TimeSpan.Zero,
            teacher.CostOf(input, output));
    }

    private static IReadOnlyList<TeacherTokenLogprob>? ToLogprobs(IReadOnlyList<ChatTokenLogProbabilityDetails>? tokens)
    {
        if (tokens is null || tokens.Count == 0)
        {
            return null;
        }

        var result = new TeacherTokenLogprob[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var top = token.TopLogProbabilities.Select(t => new TeacherTopLogprob(t.Token, t.LogProbability)).ToArray();
            result[i] = new TeacherTokenLogprob(token.Token, token.LogProbability, top);
        }

        return result;
    }

    private static AIChatMessage ToMessage(ExampleMessage message)
    {
        var role = message.Role switch
        {
            ExampleMessage.System => ChatRole.System,
            ExampleMessage.Developer => Developer,
            ExampleMessage.Assistant => ChatRole.Assistant,
            ExampleMessage.Tool => ChatRole.Tool,
            _ => ChatRole.User,
        };
        var contents = new List<AIContent>();
        if (message.Role == ExampleMessage.Tool && message.ToolCallId is not null)
        {
            contents.Add(new FunctionResultContent(message.ToolCallId, message.Content));
        }
        else if (!string.IsNullOrEmpty(message.Content))
        {
            contents.Add(new TextContent(message.Content));
        }

        foreach (var call in message.ToolCalls ?? [])
        {
            contents.Add(new FunctionCallContent(call.Id, call.Name, ParseArguments(call.Arguments)));
        }

        return new AIChatMessage(role, contents) { AuthorName = message.Name };
    }

    /// <summary>Microsoft.Extensions.AI carries arguments parsed; the SDK writes them back as JSON.</summary>
    private static Dictionary<string, object?>? ParseArguments(string arguments)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments);
        }
        catch (JsonException)
        {
            // A model can emit arguments that are not a JSON object; keep the text rather than lose it.
            return new Dictionary<string, object?> { ["_raw"] = arguments };
        }
    }
}
