using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>The messages of an example that a <see cref="TextScope"/> selects, and the text pieces they carry.</summary>
public static class ExampleText
{
    public static IReadOnlyList<ExampleMessage> Messages(ExampleRecord record, TextScope scope) => scope switch
    {
        TextScope.Example => record.Messages,
        TextScope.Prompt => record.Prompt,
        TextScope.Completion => EndsWithAssistant(record) ? [record.Messages[^1]] : [],
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
    };

    /// <summary>
    /// The contents and tool calls (name, then arguments) of the selected messages. Tool calls count as text because
    /// two examples that call a tool with different arguments teach different things.
    /// </summary>
    public static IEnumerable<string> Pieces(ExampleRecord record, TextScope scope, bool includeSystemMessages = true)
    {
        foreach (var message in Messages(record, scope))
        {
            if (!includeSystemMessages && IsInstruction(message))
            {
                continue;
            }

            if (!string.IsNullOrEmpty(message.Content))
            {
                yield return message.Content;
            }

            foreach (var call in message.ToolCalls ?? [])
            {
                yield return call.Name;
                yield return call.Arguments;
            }
        }
    }

    /// <summary>The record a token counter is given for a scope, so chat-template-aware counters see real messages.</summary>
    public static ExampleRecord Scoped(ExampleRecord record, TextScope scope) =>
        scope == TextScope.Example ? record : new ExampleRecord(Messages(record, scope), ExampleRecord.NoMetadata);

    /// <summary>System and developer turns: configuration shared by many examples rather than their content.</summary>
    public static bool IsInstruction(ExampleMessage message) =>
        message.Role is ExampleMessage.System or ExampleMessage.Developer;

    private static bool EndsWithAssistant(ExampleRecord record) =>
        record.Messages.Count > 0 && record.Messages[^1].Role == ExampleMessage.Assistant;
}
