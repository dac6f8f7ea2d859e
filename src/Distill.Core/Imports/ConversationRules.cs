using Distill.Core.Datasets;

namespace Distill.Core.Imports;

/// <summary>Rules over a whole conversation, after each message has been read on its own.</summary>
internal static class ConversationRules
{
    /// <param name="messages">Null entries could not be read as messages; rules that would need them are not judged.</param>
    /// <param name="replyField">Where a missing reply is reported; null when the format's reader checks that itself.</param>
    public static void Check(
        IReadOnlyList<ExampleMessage?> messages, MessagePaths paths, string? replyField, bool requireReply, IssueCollector issues)
    {
        CheckToolResults(messages, paths, issues);
        if (requireReply && replyField is not null && messages.Count > 0 && messages[^1] is { } last)
        {
            if (last.Role != ExampleMessage.Assistant)
            {
                issues.Add(replyField, $"the conversation ends with a {last.Role} message; training data must end with an assistant reply");
            }
            else if (!AnyTrainedTurn(messages))
            {
                issues.Add(replyField, "every assistant message has weight 0; there is nothing to train on");
            }
        }
    }

    /// <summary>A tool message answers a call of the assistant turn just before it (other tool results may come between).</summary>
    private static void CheckToolResults(IReadOnlyList<ExampleMessage?> messages, MessagePaths paths, IssueCollector issues)
    {
        ExampleMessage? caller = null;
        var callerIndex = -1;
        var callerKnown = true;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message is null)
            {
                callerKnown = false;
                continue;
            }

            if (message.Role != ExampleMessage.Tool)
            {
                caller = message.Role == ExampleMessage.Assistant && message.ToolCalls is { Count: > 0 } ? message : null;
                callerIndex = i;
                callerKnown = true;
                continue;
            }

            if (!callerKnown)
            {
                continue;
            }

            if (caller is null)
            {
                issues.Add(paths.Of(i), "a tool message must follow an assistant message with tool_calls");
            }
            else if (message.ToolCallId is { } id && !Calls(caller, id))
            {
                issues.Add(paths.Of(i, "tool_call_id"), $"{JsonKinds.Shown(id)} answers no tool call of {paths.Of(callerIndex)}");
            }
        }
    }

    private static bool Calls(ExampleMessage caller, string id)
    {
        foreach (var call in caller.ToolCalls!)
        {
            if (call.Id == id)
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyTrainedTurn(IReadOnlyList<ExampleMessage?> messages)
    {
        foreach (var message in messages)
        {
            if (message is { Role: ExampleMessage.Assistant } && message.Weight != 0)
            {
                return true;
            }
        }

        return false;
    }
}
