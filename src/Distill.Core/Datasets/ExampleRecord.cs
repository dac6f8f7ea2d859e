using System.Text.Json.Serialization;

namespace Distill.Core.Datasets;

/// <summary>
/// The content of one example, independent of where it is stored: the conversation and its string metadata
/// (the same shape as OpenAI's stored-completion metadata). Curation and import work on this.
/// </summary>
public sealed record ExampleRecord(
    [property: JsonPropertyName("messages")] IReadOnlyList<ExampleMessage> Messages,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, string> Metadata)
{
    public static readonly IReadOnlyDictionary<string, string> NoMetadata = new Dictionary<string, string>();

    /// <summary>Everything before the last assistant turn: what a teacher is asked.</summary>
    public IReadOnlyList<ExampleMessage> Prompt =>
        Messages.Count > 0 && Messages[^1].Role == ExampleMessage.Assistant ? Messages.Take(Messages.Count - 1).ToArray() : Messages;

    /// <summary>The last assistant turn's text, when the example ends with one.</summary>
    public string? Completion =>
        Messages.Count > 0 && Messages[^1].Role == ExampleMessage.Assistant ? Messages[^1].Content : null;
}
