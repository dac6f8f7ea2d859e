using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Tests.Tokenization;

public sealed class ChatTemplateTests
{
    private static readonly TinyByteLevelBpe Bpe = new();
    private static readonly TinySentencePiece SentencePiece = new();

    private static readonly ChatMessage[] Conversation =
    [
        ChatMessage.System("You are terse."),
        ChatMessage.User("Hi"),
        ChatMessage.Assistant("Hello!"),
        ChatMessage.User("How are you?"),
        ChatMessage.Assistant("Fine, thanks."),
    ];

    private static readonly ChatMessage[] Prompt = [ChatMessage.System("You are terse."), ChatMessage.User("Hi")];

    public static TheoryData<string> Families => new() { "Qwen2", "Llama3", "Llama2", "Mistral", "Phi3" };

    [Theory]
    [MemberData(nameof(Families))]
    public void Each_family_renders_a_two_turn_conversation_exactly(string family)
    {
        var (template, expected, _, _) = Case(family);

        Assert.Equal(expected, template.Render(Conversation));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void The_mask_covers_exactly_the_assistant_replies_and_their_end_token(string family)
    {
        var (template, _, endToken, sentencePiece) = Case(family);
        using var checkpoint = sentencePiece ? SentencePiece.WriteCheckpoint(eos: family == "Phi3" ? "<|endoftext|>" : "</s>") : Bpe.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);

        var encoding = template.Encode(tokenizer, Conversation);

        Assert.Equal(template.Render(Conversation), encoding.Text);
        Assert.Equal(tokenizer.Encode(encoding.Text), encoding.InputIds);
        Assert.Equal(encoding.InputIds.Length, encoding.AssistantMask.Length);
        Assert.Equal(["Hello!" + endToken, "Fine, thanks." + endToken], MaskedTurns(tokenizer, encoding, tokenizer.TokenToId(endToken)));
    }

    [Theory]
    [InlineData("Qwen2", "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n")]
    [InlineData("Llama3", "Hi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")]
    [InlineData("Llama2", "<s>[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nHi [/INST]")]
    [InlineData("Mistral", "<s> [INST] You are terse.\n\nHi [/INST]")]
    [InlineData("Phi3", "<|user|>\nHi<|end|>\n<|assistant|>\n")]
    public void A_generation_prompt_ends_where_the_assistant_starts_writing(string family, string ending)
    {
        var (template, _, _, sentencePiece) = Case(family);
        using var checkpoint = sentencePiece ? SentencePiece.WriteCheckpoint(eos: family == "Phi3" ? "<|endoftext|>" : "</s>") : Bpe.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);

        var text = template.Render(Prompt, addGenerationPrompt: true);
        var encoding = template.Encode(tokenizer, Prompt, addGenerationPrompt: true);

        Assert.EndsWith(ending, text);
        Assert.All(encoding.AssistantMask, bit => Assert.Equal(0, bit));
        Assert.Equal(tokenizer.Encode(text), encoding.InputIds);
    }

    [Fact]
    public void The_mask_stays_on_the_reply_when_the_tokenizer_normalises_it()
    {
        using var checkpoint = Bpe.WriteCheckpoint(edit: json => json["normalizer"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "NFC" });
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);
        var template = ChatTemplate.Parse(ChatTemplates.SmolLm);

        var encoding = template.Encode(tokenizer, [ChatMessage.User("Cre\u0300me?"), ChatMessage.Assistant("Cafe\u0301 au lait")]);

        Assert.Contains("Café au lait<|im_end|>", encoding.Text);
        Assert.Equal(["Café au lait<|im_end|>"], MaskedTurns(tokenizer, encoding, tokenizer.TokenToId("<|im_end|>")));
    }

    [Fact]
    public void A_generation_prompt_after_an_assistant_turn_is_rejected()
    {
        var template = ChatTemplate.Parse(ChatTemplates.SmolLm);

        var error = Assert.Throws<ArgumentException>(() => template.Render(Conversation, addGenerationPrompt: true));

        Assert.Contains("ends with the assistant", error.Message);
    }

    [Fact]
    public void Turns_must_alternate_after_the_system_message()
    {
        var template = ChatTemplate.Parse(ChatTemplates.SmolLm);

        var error = Assert.Throws<ArgumentException>(() => template.Render([ChatMessage.System("s"), ChatMessage.Assistant("a")]));

        Assert.Contains("Message 1 is assistant where user was expected", error.Message);
    }

    [Fact]
    public void An_unrecognised_template_is_an_error_listing_the_markers_looked_for()
    {
        var error = Assert.Throws<NotSupportedException>(() => ChatTemplate.Parse(ChatTemplates.Gemma, source: "tokenizer_config.json"));

        Assert.StartsWith("tokenizer_config.json: chat_template matches no family Distill renders (looked for ChatML: <|im_start|>, <|im_end|>;", error.Message);
        Assert.Contains("Llama 3: <|start_header_id|>, <|end_header_id|>, <|eot_id|>", error.Message);
        Assert.Contains("Mistral: [INST], [/INST] without <<SYS>>", error.Message);
        Assert.Contains("Phi-3: <|assistant|>, <|end|>", error.Message);
    }

    [Theory]
    [InlineData(ChatTemplates.Llama31, "Cutting Knowledge Date")]
    [InlineData(ChatTemplates.MistralV1, "v0.2 layout")]
    [InlineData(ChatTemplates.SmolLm + ChatTemplates.Phi3, "ambiguous")]
    public void Variants_rendered_differently_are_refused_rather_than_approximated(string chatTemplate, string reason)
    {
        var error = Assert.Throws<NotSupportedException>(() => ChatTemplate.Parse(chatTemplate));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void A_chatml_template_default_system_prompt_is_used_when_the_conversation_has_none()
    {
        var template = ChatTemplate.Parse(ChatTemplates.Qwen2);

        Assert.Equal("You are a helpful assistant.", template.DefaultSystemPrompt);
        Assert.Equal(
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
            template.Render([ChatMessage.User("Hi")], addGenerationPrompt: true));
        Assert.Null(ChatTemplate.Parse(ChatTemplates.SmolLm).DefaultSystemPrompt);
    }

    [Fact]
    public void The_template_loads_from_tokenizer_config_or_chat_template_jinja()
    {
        using var fromConfig = Bpe.WriteCheckpoint(chatTemplate: ChatTemplates.Llama3);
        using var fromJinja = Bpe.WriteCheckpoint();
        fromJinja.WriteText("chat_template.jinja", ChatTemplates.SmolLm);
        using var none = Bpe.WriteCheckpoint();

        Assert.Equal(ChatTemplateFamily.Llama3, ChatTemplate.Load(fromConfig.Directory).Family);
        Assert.Equal(ChatTemplateFamily.ChatMl, ChatTemplate.Load(fromJinja.Directory).Family);
        var error = Assert.Throws<InvalidDataException>(() => ChatTemplate.Load(none.Directory));
        Assert.StartsWith("tokenizer_config.json: chat_template is missing", error.Message);
    }

    [Fact]
    public void Encoding_with_a_tokenizer_lacking_the_template_markers_is_refused()
    {
        using var checkpoint = SentencePiece.WriteCheckpoint();
        var tokenizer = CheckpointTokenizer.Load(checkpoint.Directory);

        var error = Assert.Throws<InvalidOperationException>(() => ChatTemplate.Parse(ChatTemplates.SmolLm).Encode(tokenizer, Conversation));

        Assert.Equal("tokenizer.model has no added token '<|im_start|>', which the ChatML chat format needs as a single token.", error.Message);
    }

    /// <summary>The masked tokens, decoded one assistant turn at a time (a turn ends with the end-of-turn token).</summary>
    private static List<string> MaskedTurns(CheckpointTokenizer tokenizer, ChatEncoding encoding, int endOfTurn)
    {
        var turns = new List<string>();
        var turn = new List<int>();
        for (var i = 0; i < encoding.InputIds.Length; i++)
        {
            if (encoding.AssistantMask[i] == 1)
            {
                turn.Add(encoding.InputIds[i]);
                if (encoding.InputIds[i] == endOfTurn)
                {
                    turns.Add(tokenizer.Decode(turn));
                    turn.Clear();
                }
            }
        }

        Assert.Empty(turn);
        return turns;
    }

    private static (ChatTemplate Template, string Expected, string EndToken, bool SentencePiece) Case(string family) => family switch
    {
        "Qwen2" => (ChatTemplate.Parse(ChatTemplates.Qwen2),
            "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello!<|im_end|>\n" +
            "<|im_start|>user\nHow are you?<|im_end|>\n<|im_start|>assistant\nFine, thanks.<|im_end|>\n",
            "<|im_end|>", false),
        "Llama3" => (ChatTemplate.Parse(ChatTemplates.Llama3, "<|begin_of_text|>", "<|eot_id|>"),
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nHow are you?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nFine, thanks.<|eot_id|>",
            "<|eot_id|>", false),
        "Llama2" => (ChatTemplate.Parse(ChatTemplates.Llama2, "<s>", "</s>"),
            "<s>[INST] <<SYS>>\nYou are terse.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] How are you? [/INST] Fine, thanks. </s>",
            "</s>", true),
        "Mistral" => (ChatTemplate.Parse(ChatTemplates.MistralV2, "<s>", "</s>"),
            "<s> [INST] You are terse.\n\nHi [/INST] Hello!</s> [INST] How are you? [/INST] Fine, thanks.</s>",
            "</s>", true),
        "Phi3" => (ChatTemplate.Parse(ChatTemplates.Phi3, "<s>", "<|endoftext|>"),
            "<|system|>\nYou are terse.<|end|>\n<|user|>\nHi<|end|>\n<|assistant|>\nHello!<|end|>\n" +
            "<|user|>\nHow are you?<|end|>\n<|assistant|>\nFine, thanks.<|end|>\n<|endoftext|>",
            "<|end|>", true),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, null),
    };
}
