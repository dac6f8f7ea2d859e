using System.Text.Json.Serialization;

namespace Distill.Core.Curation;

/// <summary>Which part of an example an operation looks at.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TextScope>))]
public enum TextScope
{
    /// <summary>Every message.</summary>
    Example,

    /// <summary>Everything before the last assistant turn: what the teacher was asked.</summary>
    Prompt,

    /// <summary>The last assistant turn, when the example ends with one.</summary>
    Completion,
}
