using Distill.Core.Datasets;
using Distill.Core.Imports;
using static Distill.UnitTests.Imports.ImportKit;

namespace Distill.UnitTests.Imports;

/// <summary>OpenAI fine-tuning JSONL: what is accepted, and the exact reasons for what is not.</summary>
public sealed class ChatMessagesImportTests
{
    private static readonly ImportOptions Training = Chat with { RequireAssistantReply = true };

    [Fact]
    public void A_multi_turn_conversation_with_every_role_is_accepted()
    {
        var accepted = SingleAccepted(ChatLine(
            """{"role":"system","content":"Be brief."}""",
            """{"role":"developer","content":"Answer in English."}""",
            User("Hi"),
            """{"role":"assistant","content":"Hello!","weight":0}""",
            """{"role":"user","content":[{"type":"text","text":"Two"},{"type":"text","text":"parts"}],"name":"ann"}""",
            """{"role":"assistant","content":"Done.","weight":1}"""), Training);

        var messages = accepted.Example.Messages;
        Assert.Equal(["system", "developer", "user", "assistant", "user", "assistant"], messages.Select(m => m.Role));
        Assert.Equal("Two\nparts", messages[4].Content);
        Assert.Equal("ann", messages[4].Name);
        Assert.Equal([null, null, null, 0, null, 1], messages.Select(m => m.Weight));
        Assert.Equal(1, accepted.Line);
        Assert.Equal(ExampleRecord.NoMetadata, accepted.Example.Metadata);
    }

    [Fact]
    public void The_token_estimate_is_utf8_bytes_over_four_rounded_up()
    {
        // "Hi" (2 bytes) + "héllo" (6 bytes) = 8 bytes -> 2; one more byte -> 3.
        Assert.Equal(2, SingleAccepted(ChatLine(User("Hi"), Assistant("héllo"))).EstimatedTokens);
        Assert.Equal(3, SingleAccepted(ChatLine(User("Hi!"), Assistant("héllo"))).EstimatedTokens);
    }

    [Fact]
    public void Wrong_types_are_all_reported_with_their_paths()
    {
        var issues = SingleRejected("""
            {"messages":[{"role":"user","content":42},{"role":7,"content":"x"},{"role":"assistant","content":"ok","name":["n"]},"hello"],"metadata":{"tags":["a"]}}
            """);

        Assert.Equal([
            "line 1: messages[0].content: expected a string or an array of text parts, got a number",
            "line 1: messages[1].role: expected a string, got a number",
            "line 1: messages[2].name: expected a string, got an array",
            "line 1: messages[3]: expected a message object, got a string",
            "line 1: metadata.tags: expected a string, number or boolean, got an array; nested values are not supported",
        ], issues);
    }

    [Fact]
    public void Messages_must_be_a_non_empty_array()
    {
        Assert.Equal(["line 1: messages: missing"], SingleRejected("""{"conversation":[]}"""));
        Assert.Equal(["line 1: messages: expected an array of messages, got an object"], SingleRejected("""{"messages":{}}"""));
        Assert.Equal(["line 1: messages: empty; a conversation needs at least one message"], SingleRejected("""{"messages":[]}"""));
        Assert.Equal(["line 1: messages: missing (this line has a prompt: import the file in the prompt/completion format)"],
            SingleRejected("""{"prompt":"a","completion":"b"}"""));
    }

    [Fact]
    public void A_missing_role_and_an_unknown_role_are_named()
    {
        var issues = SingleRejected(ChatLine("""{"content":"no role"}""", """{"role":"function","content":"x"}""", Assistant("ok")));

        Assert.Equal([
            "line 1: messages[0].role: missing",
            "line 1: messages[1].role: unknown role 'function'; expected system, developer, user, assistant or tool",
        ], issues);
    }

    [Fact]
    public void Content_must_be_present_and_not_blank_except_beside_tool_calls()
    {
        var issues = SingleRejected(ChatLine(
            """{"role":"user"}""",
            """{"role":"user","content":"  "}""",
            """{"role":"user","content":null}""",
            """{"role":"assistant","content":""}"""));

        Assert.Equal([
            "line 1: messages[0].content: missing",
            "line 1: messages[1].content: empty",
            "line 1: messages[2].content: expected a string or an array of text parts, got null",
            "line 1: messages[3].content: empty",
        ], issues);
    }

    [Fact]
    public void Non_text_content_parts_are_refused_by_type()
    {
        var issues = SingleRejected(ChatLine(
            """{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"https://x/y.png"}},{"text":"no type"}]}""",
            Assistant("A cat.")));

        Assert.Equal([
            "line 1: messages[0].content[1].type: 'image_url' parts are not supported; only text parts can be imported",
            "line 1: messages[0].content[2].type: missing",
        ], issues);
    }

    [Fact]
    public void Tool_calls_and_their_results_are_imported()
    {
        var accepted = SingleAccepted(ChatLine(
            User("Weather in Oslo?"),
            """{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Oslo\"}"}},{"id":"call_2","type":"function","function":{"name":"time","arguments":"{}"}}]}""",
            """{"role":"tool","tool_call_id":"call_1","content":"-3 C"}""",
            """{"role":"tool","tool_call_id":"call_2","content":"09:00"}""",
            Assistant("It is -3 C at 09:00.")).TrimEnd('}') + ""","tools":[{"type":"function","function":{"name":"weather"}}],"parallel_tool_calls":true}""",
            Training);

        var call = accepted.Example.Messages[1];
        Assert.Null(call.Content);
        Assert.Equal([new ExampleToolCall("call_1", "weather", """{"city":"Oslo"}"""), new ExampleToolCall("call_2", "time", "{}")], call.ToolCalls!);
        Assert.Equal(["call_1", "call_2"], accepted.Example.Messages.Skip(2).Take(2).Select(m => m.ToolCallId));
        Assert.Equal("""[{"type":"function","function":{"name":"weather"}}]""", accepted.Example.Metadata["tools"]);
        Assert.Equal("true", accepted.Example.Metadata["parallel_tool_calls"]);
    }

    [Fact]
    public void Tool_messages_must_answer_a_call_just_made()
    {
        var issues = SingleRejected(ChatLine(
            User("Hi"),
            """{"role":"tool","tool_call_id":"call_1","content":"early"}""",
            """{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]}""",
            """{"role":"tool","tool_call_id":"call_9","content":"wrong id"}""",
            """{"role":"tool","content":"no id"}""",
            """{"role":"user","content":"x","tool_call_id":"call_1"}"""));

        Assert.Equal([
            "line 1: messages[4].tool_call_id: missing; a tool message names the tool call it answers",
            "line 1: messages[5].tool_call_id: only tool messages answer a tool call",
            "line 1: messages[1]: a tool message must follow an assistant message with tool_calls",
            "line 1: messages[3].tool_call_id: 'call_9' answers no tool call of messages[2]",
        ], issues);
    }

    [Fact]
    public void Malformed_tool_calls_are_reported_field_by_field()
    {
        var issues = SingleRejected(ChatLine(
            User("Hi"),
            """{"role":"user","content":"x","tool_calls":[]}""",
            """{"role":"assistant","tool_calls":[{"type":"retrieval","function":{"name":"","arguments":{"a":1}}},{"id":"c","function":"f"}]}"""));

        Assert.Equal([
            "line 1: messages[1].tool_calls: only assistant messages make tool calls",
            "line 1: messages[2].tool_calls[0].id: missing",
            "line 1: messages[2].tool_calls[0].type: 'retrieval' tool calls are not supported; only 'function'",
            "line 1: messages[2].tool_calls[0].function.name: empty",
            "line 1: messages[2].tool_calls[0].function.arguments: expected a string holding the arguments' JSON, got an object",
            "line 1: messages[2].tool_calls[1].function: expected an object, got a string",
        ], issues);
    }

    [Fact]
    public void A_weight_on_a_user_message_is_an_error()
    {
        Assert.Equal(["line 1: messages[0].weight: only assistant messages take a weight"],
            SingleRejected(ChatLine("""{"role":"user","content":"Hi","weight":1}""", Assistant("Hello"))));
    }

    [Fact]
    public void A_weight_is_0_or_1()
    {
        Assert.Equal(["line 1: messages[1].weight: expected 0 or 1, got 0.5"],
            SingleRejected(ChatLine(User("Hi"), """{"role":"assistant","content":"Hello","weight":0.5}""")));
    }

    [Fact]
    public void The_legacy_function_call_format_is_named()
    {
        Assert.Equal(["line 1: messages[1].function_call: the legacy function_call format is not supported; use tool_calls"],
            SingleRejected(ChatLine(User("Hi"), """{"role":"assistant","content":"x","function_call":{"name":"f","arguments":"{}"}}""")));
    }

    [Fact]
    public void Training_data_must_end_with_an_assistant_reply_it_can_learn_from()
    {
        Assert.Equal(["line 1: messages: the conversation ends with a user message; training data must end with an assistant reply"],
            SingleRejected(ChatLine(User("Hi")), Training));
        Assert.Equal(["line 1: messages: every assistant message has weight 0; there is nothing to train on"],
            SingleRejected(ChatLine(User("Hi"), """{"role":"assistant","content":"x","weight":0}"""), Training));
        Assert.Single(SingleAccepted(ChatLine(User("Prompt only, for a teacher to answer"))).Example.Messages);
    }

    [Fact]
    public void Metadata_values_become_strings_and_other_top_level_keys_are_ignored()
    {
        var accepted = SingleAccepted(ChatLine(User("Hi"), Assistant("Hello")).TrimEnd('}')
            + ""","metadata":{"source":"crm","score":0.93,"reviewed":true,"note":null},"seed":7}""");

        Assert.Equal(new Dictionary<string, string> { ["source"] = "crm", ["score"] = "0.93", ["reviewed"] = "true" },
            accepted.Example.Metadata);
    }

    [Fact]
    public void Metadata_must_be_an_object()
    {
        Assert.Equal(["line 1: metadata: expected an object of strings, got a string"],
            SingleRejected(ChatLine(User("Hi"), Assistant("x")).TrimEnd('}') + ""","metadata":"crm"}"""));
    }

    [Fact]
    public void The_estimated_token_limit_rejects_long_examples()
    {
        var options = Chat with { MaxEstimatedTokens = 10 };

        Assert.Equal(["line 1: an estimated 13 tokens, over the limit of 10"],
            SingleRejected(ChatLine(User(new string('x', 40)), Assistant("Hello!!!!!!")), options));
        SingleAccepted(ChatLine(User(new string('x', 30)), Assistant("Hello")), options);
    }

    [Fact]
    public void Every_issue_of_a_line_is_collected_and_each_line_is_judged_alone()
    {
        var lines = string.Join("\n",
            ChatLine(User("ok"), Assistant("fine")),
            ChatLine("""{"role":"user","content":1,"weight":1}""", """{"role":"bot","content":"x"}"""),
            ChatLine(User("ok"), Assistant("fine")));

        var (records, summary) = Import(lines, Training);

        var rejected = Assert.IsType<RejectedRecord>(records[1]);
        Assert.Equal(3, rejected.Issues.Count);
        Assert.All(rejected.Issues, i => Assert.Equal(2, i.Line));
        Assert.Equal(lines.Split('\n')[1], rejected.RawExcerpt);
        Assert.False(rejected.ExcerptIsTruncated);
        Assert.Equal((2, 1), (summary.Accepted, summary.Rejected));
        Assert.False(summary.Succeeded(BadLinePolicy.RejectImport));
        Assert.True(summary.Succeeded(BadLinePolicy.Quarantine));
    }

    [Fact]
    public void A_line_of_thousands_of_broken_messages_keeps_a_hundred_issues_and_counts_the_rest()
    {
        var issues = SingleRejected(ChatLine(Enumerable.Repeat("{}", 5000).ToArray()));

        Assert.Equal(101, issues.Length);
        Assert.Equal("line 1: messages[99].role: missing", issues[99]);
        Assert.Equal("line 1: and 4900 more issues in this line", issues[100]);
    }

    [Fact]
    public void The_raw_excerpt_is_bounded()
    {
        var line = ChatLine(User(new string('é', 100)), """{"role":"bot","content":"x"}""");
        var (records, _) = Import(line, Chat with { ExcerptBytes = 50 });

        var rejected = Assert.IsType<RejectedRecord>(Assert.Single(records));
        Assert.True(rejected.ExcerptIsTruncated);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(rejected.RawExcerpt) <= 50);
        Assert.DoesNotContain('\uFFFD', rejected.RawExcerpt);
    }
}
