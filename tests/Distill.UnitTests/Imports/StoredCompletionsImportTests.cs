using Distill.Core.Imports;
using static Distill.UnitTests.Imports.ImportKit;

namespace Distill.UnitTests.Imports;

/// <summary>OpenAI / Azure OpenAI stored-completions exports, in the request layouts exporters use.</summary>
public sealed class StoredCompletionsImportTests
{
    private static readonly ImportOptions Options = new(ImportFormat.StoredCompletions) { RequireAssistantReply = true };

    private const string Completion = """
        "id":"chatcmpl-abc","object":"chat.completion","created":1730000000,"model":"gpt-4o-2024-08-06",
        "metadata":{"app":"support","model":"user-label"},
        "choices":[{"index":0,"message":{"role":"assistant","content":"Paris.","refusal":null},"finish_reason":"stop"}],
        "usage":{"prompt_tokens":21,"completion_tokens":2,"total_tokens":23,"prompt_tokens_details":{"cached_tokens":0}}
        """;

    [Theory]
    [InlineData("""{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Capital of France?"}],""")]
    [InlineData("""{"input":[{"role":"system","content":"Be brief."},{"type":"message","role":"user","content":[{"type":"input_text","text":"Capital of France?"}]}],""")]
    [InlineData("""{"request":{"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Capital of France?"}]},""")]
    public void Each_request_layout_becomes_the_conversation_and_its_reply(string request)
    {
        var accepted = SingleAccepted(Line(request), Options);

        Assert.Equal([("system", "Be brief."), ("user", "Capital of France?"), ("assistant", "Paris.")],
            accepted.Example.Messages.Select(m => (m.Role, m.Content!)));
        Assert.Equal(new Dictionary<string, string>
        {
            ["app"] = "support",
            ["model"] = "user-label",
            ["completion_id"] = "chatcmpl-abc",
            ["created"] = "2024-10-27T03:33:20Z",
            ["prompt_tokens"] = "21",
            ["completion_tokens"] = "2",
            ["total_tokens"] = "23",
            ["finish_reason"] = "stop",
        }, accepted.Example.Metadata.ToDictionary());
    }

    [Fact]
    public void A_plain_string_input_is_the_user_turn()
    {
        var accepted = SingleAccepted(Line("""{"input":"Capital of France?","""), Options);

        Assert.Equal(["user", "assistant"], accepted.Example.Messages.Select(m => m.Role));
    }

    [Fact]
    public void A_reply_that_calls_tools_is_kept_with_its_calls()
    {
        var accepted = SingleAccepted("""
            {"id":"c1","object":"chat.completion","messages":[{"role":"user","content":"Weather?"}],"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{}"}}]}}]}
            """, Options);

        Assert.Equal("weather", Assert.Single(accepted.Example.Messages[^1].ToolCalls!).Name);
    }

    [Fact]
    public void Missing_request_and_reply_are_named()
    {
        Assert.Equal([
            "line 1: messages: missing; a stored completion carries its request under messages, input or request.messages",
            "line 1: choices: empty; the completion has no reply",
        ], SingleRejected("""{"id":"c1","object":"chat.completion","choices":[]}""", Options));
    }

    [Fact]
    public void Wrong_fields_of_the_completion_are_reported_with_their_paths()
    {
        Assert.Equal([
            "line 1: object: expected 'chat.completion', got 'chat.completion.chunk'",
            "line 1: input[1].type: 'function_call' items are not supported; only messages",
            "line 1: choices[0].message.role: expected 'assistant', got 'user'",
            "line 1: created: expected a Unix time in seconds, got a string",
        ], SingleRejected("""
            {"object":"chat.completion.chunk","created":"yesterday","input":[{"role":"user","content":"Hi"},{"type":"function_call","name":"f"}],"choices":[{"message":{"role":"user","content":"Hi"}}]}
            """, Options));
    }

    private static string Line(string request) => request + Completion.Replace("\n", "") + "}";
}
