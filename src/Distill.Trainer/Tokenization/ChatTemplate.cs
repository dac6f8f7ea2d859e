namespace Distill.Trainer.Tokenization;

/// <summary>
/// A checkpoint's chat format, recognised from its Jinja <c>chat_template</c> by the markers each family writes and
/// then rendered by Distill itself; the Jinja is never executed.
/// </summary>
public sealed class ChatTemplate
{
    private const string JinjaFileName = "chat_template.jinja";

    private readonly ChatRenderer _renderer;

    private ChatTemplate(ChatTemplateFamily family, ChatRenderer renderer, string? defaultSystemPrompt)
    {
        Family = family;
        _renderer = renderer;
        DefaultSystemPrompt = defaultSystemPrompt;
    }

    public ChatTemplateFamily Family { get; }

    /// <summary>The system prompt used when a conversation brings none (ChatML templates such as Qwen2's).</summary>
    public string? DefaultSystemPrompt { get; }

    /// <summary>Reads <c>chat_template</c> (and BOS/EOS) from tokenizer_config.json, or chat_template.jinja beside it.</summary>
    public static ChatTemplate Load(string checkpointDirectory)
    {
        var config = TokenizerConfig.Read(checkpointDirectory);
        var jinja = Path.Combine(checkpointDirectory, JinjaFileName);
        if (config.ChatTemplate is { } template)
        {
            return Parse(template, config.BosToken, config.EosToken, TokenizerConfig.FileName);
        }

        if (File.Exists(jinja))
        {
            return Parse(File.ReadAllText(jinja), config.BosToken, config.EosToken, JinjaFileName);
        }

        throw new InvalidDataException($"{TokenizerConfig.FileName}: chat_template is missing and there is no {JinjaFileName}, so {checkpointDirectory} has no chat format (base checkpoints have none).");
    }

    /// <summary>Recognises a Jinja chat template; BOS and EOS default to the family's usual tokens.</summary>
    /// <param name="source">The file the template came from, named in errors.</param>
    public static ChatTemplate Parse(string chatTemplate, string? bosToken = null, string? eosToken = null, string? source = null)
    {
        var family = ChatTemplateRecognizer.Recognize(chatTemplate, source);
        var defaultSystem = family == ChatTemplateFamily.ChatMl ? ChatTemplateRecognizer.DefaultSystemPrompt(chatTemplate) : null;
        ChatRenderer renderer = family switch
        {
            ChatTemplateFamily.ChatMl => new ChatMlRenderer(defaultSystem),
            ChatTemplateFamily.Llama3 => new Llama3Renderer(bosToken ?? "<|begin_of_text|>"),
            ChatTemplateFamily.Llama2 => new InstRenderer(llama2: true, bosToken ?? "<s>", eosToken ?? "</s>"),
            ChatTemplateFamily.Mistral => new InstRenderer(llama2: false, bosToken ?? "<s>", eosToken ?? "</s>"),
            _ => new Phi3Renderer(
                chatTemplate.Contains("bos_token", StringComparison.Ordinal) ? bosToken ?? "<s>" : null,
                chatTemplate.Contains("eos_token", StringComparison.Ordinal) ? eosToken ?? "<|endoftext|>" : null),
        };

        return new ChatTemplate(family, renderer, defaultSystem);
    }

    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = false) =>
        string.Concat(_renderer.Render(messages, addGenerationPrompt).Select(p => p.Text));

    /// <summary>Renders and tokenises the conversation, marking the assistant tokens the loss should count.</summary>
    public ChatEncoding Encode(CheckpointTokenizer tokenizer, IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = false)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        foreach (var token in _renderer.RequiredTokens)
        {
            if (!tokenizer.IsAddedToken(token))
            {
                throw new InvalidOperationException($"{Path.GetFileName(tokenizer.SourceFile)} has no added token '{token}', which the {_renderer.FamilyName} chat format needs as a single token.");
            }
        }

        // Normalising part by part keeps the trained spans' offsets valid in the text the tokenizer encodes.
        var trained = new List<(int Start, int End)>();
        var text = new System.Text.StringBuilder();
        foreach (var part in _renderer.Render(messages, addGenerationPrompt))
        {
            var normalized = tokenizer.Normalize(part.Text);
            if (part.Trained)
            {
                trained.Add((text.Length, text.Length + normalized.Length));
            }

            text.Append(normalized);
        }

        var rendered = text.ToString();
        if (tokenizer.Normalize(rendered) != rendered)
        {
            throw new InvalidOperationException("Normalising the rendered conversation changed text across a message boundary, so the assistant mask cannot be placed.");
        }

        var tokens = tokenizer.EncodeWithOffsets(rendered);
        var ids = new int[tokens.Count];
        var mask = new int[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            ids[i] = tokens[i].Id;
            mask[i] = trained.Any(span => tokens[i].Touches(span.Start, span.End)) ? 1 : 0;
        }

        return new ChatEncoding(rendered, ids, mask);
    }
}
