using System.Text.Encodings.Web;
using System.Text.Json;

namespace Distill.Trainer.Serving.Wire;

/// <summary>How the wire records are written: snake_case names and explicit nulls, as OpenAI's own responses have.</summary>
public static class OpenAiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Replies are JSON bodies, never inlined into HTML, so text in any script goes out as itself, not as \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
