namespace Distill.Teachers;

/// <summary>
/// What a request will count against tokens/minute before we know: the prompt at ~4 characters a token plus
/// per-message framing, and the whole output allowance, which is what Azure OpenAI itself reserves.
/// </summary>
public static class TokenEstimate
{
    public const int CharactersPerToken = 4;

    public static long Of(TeacherRequest request, int assumedOutputTokens)
    {
        long prompt = 3;
        foreach (var message in request.Messages)
        {
            prompt += 4 + (message.Content?.Length ?? 0) / CharactersPerToken;
            foreach (var call in message.ToolCalls ?? [])
            {
                prompt += (call.Name.Length + call.Arguments.Length) / CharactersPerToken;
            }
        }

        return prompt + (request.MaxOutputTokens ?? assumedOutputTokens);
    }
}
