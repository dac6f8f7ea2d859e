using OpenAI.Chat;

// The SDK marks the stored-completions list API as evaluation-only (OPENAI001); it is the API this class exists for.
#pragma warning disable OPENAI001

namespace Distill.Teachers;

/// <summary>
/// Reads back what the service itself kept of our requests (sent with <c>store: true</c> and metadata such as
/// <c>distill_job</c>/<c>distill_example</c>) through OpenAI's list API, <c>GET /chat/completions?metadata[k]=v</c>.
/// After a crash between the service answering and us recording, this finds the answer instead of paying again.
/// </summary>
public static class TeacherStoredCompletions
{
    /// <summary>The first stored answer whose metadata includes every pair of <paramref name="metadata"/>, or null (also for teachers that keep none).</summary>
    public static async Task<TeacherAnswer?> FindAsync(
        TeacherClient client,
        IReadOnlyDictionary<string, string> metadata,
        CancellationToken cancellationToken = default,
        TeacherRetryPolicy? retry = null)
    {
        if (client.StoredCompletionsClient is not { } chat)
        {
            return null;
        }

        var options = new ChatCompletionCollectionOptions { PageSizeLimit = 1, Order = ChatCompletionCollectionOrder.Ascending };
        foreach (var (key, value) in metadata)
        {
            options.Metadata[key] = value;
        }

        retry ??= TeacherRetryPolicy.For(client.Teacher);
        return await retry.ExecuteAsync(
            async (_, token) =>
            {
                await foreach (var completion in chat.GetChatCompletionsAsync(options, token).WithCancellation(token))
                {
                    return TeacherChatMapping.ToAnswer(client.Teacher, completion);
                }

                return null;
            },
            cancellationToken);
    }
}
