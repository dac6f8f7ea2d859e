using System.Diagnostics;
using Distill.Core.Teachers;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace Distill.Teachers;

/// <summary>
/// A connection to one teacher, built by <see cref="TeacherClientFactory"/>: the <see cref="IChatClient"/> requests go
/// through, and (for Azure and OpenAI) the SDK client that reads the service's stored completions back.
/// </summary>
public sealed class TeacherClient : IDisposable
{
    internal TeacherClient(Teacher teacher, IChatClient chatClient, ChatClient? storedCompletions)
    {
        Teacher = teacher;
        ChatClient = chatClient;
        StoredCompletionsClient = storedCompletions;
    }

    public Teacher Teacher { get; }

    public IChatClient ChatClient { get; }

    /// <summary>Lists the service's stored completions; null for teachers that keep none (Local, or an OpenAI-compatible server without <c>StoreCompletions</c>).</summary>
    public ChatClient? StoredCompletionsClient { get; }

    /// <summary>One attempt, no retries (see <see cref="TeacherRetryPolicy"/>); SDK exceptions propagate.</summary>
    public async Task<TeacherAnswer> AskAsync(TeacherRequest request, CancellationToken cancellationToken)
    {
        var messages = TeacherChatMapping.ToMessages(request.Messages);
        var options = TeacherChatMapping.ToOptions(Teacher, request);
        var started = Stopwatch.GetTimestamp();
        var response = await ChatClient.GetResponseAsync(messages, options, cancellationToken);
        return TeacherChatMapping.ToAnswer(Teacher, response, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// One streamed attempt: each piece of text is handed to <paramref name="onText"/> as it arrives (to pass on to
    /// a waiting caller), and the whole answer, with its usage and cost, is returned at the end.
    /// </summary>
    public async Task<TeacherAnswer> StreamAsync(TeacherRequest request, Func<string, CancellationToken, ValueTask> onText, CancellationToken cancellationToken)
    {
        var messages = TeacherChatMapping.ToMessages(request.Messages);
        var options = TeacherChatMapping.ToOptions(Teacher, request);
        var started = Stopwatch.GetTimestamp();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in ChatClient.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
            if (update.Text is { Length: > 0 } text)
            {
                await onText(text, cancellationToken);
            }
        }

        return TeacherChatMapping.ToAnswer(Teacher, updates.ToChatResponse(), Stopwatch.GetElapsedTime(started));
    }

    public void Dispose() => ChatClient.Dispose();
}
