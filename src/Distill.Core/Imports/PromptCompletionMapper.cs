using System.Text.Json;
using Distill.Core.Datasets;

namespace Distill.Core.Imports;

/// <summary>
/// Legacy completion data: <c>prompt</c> becomes the user turn, <c>completion</c> the assistant reply. Without a
/// completion the line is a prompt for a teacher to answer, which only training data forbids.
/// </summary>
internal sealed class PromptCompletionMapper(bool requireReply) : IJsonExampleMapper
{
    private readonly MetadataReader _metadata = new();

    public MappedExample Map(JsonElement root, IssueCollector issues)
    {
        var prompt = JsonKinds.Property(root, "prompt"u8);
        string? question = null;
        if (prompt.ValueKind == JsonValueKind.Undefined && root.TryGetProperty("messages"u8, out _))
        {
            issues.Add("prompt", "missing (this line has messages: import the file in the chat format)");
        }
        else
        {
            question = Text(prompt, "prompt", issues);
        }

        var user = question is null ? null : new ExampleMessage(ExampleMessage.User, question);

        ExampleMessage?[] messages = [user];
        var completion = JsonKinds.Property(root, "completion"u8);
        if (JsonKinds.IsAbsent(completion))
        {
            if (requireReply)
            {
                issues.Add("completion", "missing; training data needs the reply to learn from");
            }
        }
        else
        {
            var reply = Text(completion, "completion", issues);
            messages = [user, reply is null ? null : new ExampleMessage(ExampleMessage.Assistant, reply)];
        }

        var metadata = _metadata.Read(JsonKinds.Property(root, "metadata"u8), issues);
        return new MappedExample(messages, MetadataReader.OrNone(metadata), MessagePaths.Messages, ReplyField: null);
    }

    private static string? Text(JsonElement value, string field, IssueCollector issues)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            issues.Add(field, JsonKinds.Expected("a string", value));
            return null;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            issues.Add(field, "empty");
            return null;
        }

        return text;
    }
}
