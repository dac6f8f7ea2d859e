namespace Distill.Core.Imports;

/// <summary>The file layouts an upload can be read as; the user picks one, nothing is guessed.</summary>
public enum ImportFormat
{
    /// <summary>OpenAI's fine-tuning JSONL: one <c>{"messages": [...]}</c> conversation per line.</summary>
    ChatMessages,

    /// <summary>Legacy completion JSONL: <c>{"prompt": "...", "completion": "..."}</c> per line.</summary>
    PromptCompletion,

    /// <summary>An OpenAI / Azure OpenAI stored-completions export: one <c>chat.completion</c> object per line.</summary>
    StoredCompletions,

    /// <summary>RFC 4180 CSV with a header row and user-chosen columns.</summary>
    Csv,
}
