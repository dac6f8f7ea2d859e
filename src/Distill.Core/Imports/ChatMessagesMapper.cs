using System.Text.Json;
using Distill.Core.Datasets;

namespace Distill.Core.Imports;

/// <summary>
/// OpenAI's fine-tuning format: <c>messages</c>, optional <c>metadata</c>, and <c>tools</c> /
/// <c>parallel_tool_calls</c> (see <see cref="ToolDefinitions"/>). Any other top-level key is ignored: the format
/// defines none that carries conversation content.
/// </summary>
internal sealed class ChatMessagesMapper : IJsonExampleMapper
{
    private readonly MetadataReader _metadata = new();

    public MappedExample Map(JsonElement root, IssueCollector issues)
    {
        JsonElement messages = default, metadataValue = default, tools = default, parallelToolCalls = default;
        var hasPrompt = false;
        foreach (var property in root.EnumerateObject())
        {
            if (property.NameEquals("messages"u8))
            {
                messages = property.Value;
            }
            else if (property.NameEquals("metadata"u8))
            {
                metadataValue = property.Value;
            }
            else if (property.NameEquals("tools"u8))
            {
                tools = property.Value;
            }
            else if (property.NameEquals("parallel_tool_calls"u8))
            {
                parallelToolCalls = property.Value;
            }
            else if (property.NameEquals("prompt"u8))
            {
                hasPrompt = true;
            }
        }

        var read = ReadMessages(messages, hasPrompt, issues);
        var metadata = _metadata.Read(metadataValue, issues);
        ToolDefinitions.Keep(tools, parallelToolCalls, ref metadata, issues);
        return new MappedExample(read, MetadataReader.OrNone(metadata), MessagePaths.Messages, "messages");
    }

    private static ExampleMessage?[] ReadMessages(JsonElement messages, bool hasPrompt, IssueCollector issues)
    {
        if (messages.ValueKind != JsonValueKind.Array)
        {
            issues.Add("messages", messages.ValueKind == JsonValueKind.Undefined && hasPrompt
                ? "missing (this line has a prompt: import the file in the prompt/completion format)"
                : JsonKinds.Expected("an array of messages", messages));
            return [];
        }

        var read = new ExampleMessage?[messages.GetArrayLength()];
        if (read.Length == 0)
        {
            issues.Add("messages", "empty; a conversation needs at least one message");
        }

        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            read[i] = ChatMessageReader.Read(message, MessagePaths.Messages, i, issues);
            i++;
        }

        return read;
    }
}
