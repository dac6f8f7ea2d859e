using System.Text.Json;
using Distill.Core.Datasets;

namespace Distill.Web.Capture;

/// <summary>
/// The parts of an OpenAI chat completions request the capture endpoint understands. <c>model</c> names the
/// teacher to forward to; anything it cannot forward faithfully is refused rather than silently dropped.
/// </summary>
public sealed record CaptureRequest(
    string Teacher,
    IReadOnlyList<ExampleMessage> Messages,
    float? Temperature,
    int? MaxTokens,
    bool Stream,
    int? TopLogprobs,
    IReadOnlyDictionary<string, string> Metadata)
{
    private static readonly HashSet<string> Understood = new(StringComparer.Ordinal)
    {
        "model", "messages", "temperature", "max_tokens", "max_completion_tokens", "stream", "stream_options", "logprobs", "top_logprobs", "metadata", "store", "n", "user",
    };

    /// <summary>The request, or the one-sentence reason it cannot be forwarded (OpenAI's invalid_request_error).</summary>
    public static (CaptureRequest? Request, string? Error) Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, "The request body must be a JSON object.");
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!Understood.Contains(property.Name))
            {
                return (null, $"'{property.Name}' is not supported by the capture endpoint; it would not reach the teacher.");
            }
        }

        if (!body.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || model.GetString() is not { Length: > 0 } teacher)
        {
            return (null, "'model' must name the teacher to forward to.");
        }

        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return (null, "'messages' must be a non-empty array.");
        }

        if (body.TryGetProperty("n", out var n) && !(n.ValueKind == JsonValueKind.Number && n.GetInt32() == 1))
        {
            return (null, "'n' must be 1: one answer per captured exchange.");
        }

        var parsed = new List<ExampleMessage>();
        foreach (var (message, index) in messages.EnumerateArray().Select((m, i) => (m, i)))
        {
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var role) || role.GetString() is not { } roleName || !ExampleMessage.Roles.Contains(roleName))
            {
                return (null, $"messages[{index}].role must be one of {string.Join(", ", ExampleMessage.Roles)}.");
            }

            if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                return (null, $"messages[{index}].content must be a string; content parts and tool calls are not captured yet.");
            }

            parsed.Add(new ExampleMessage(roleName, content.GetString()));
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            foreach (var pair in meta.EnumerateObject())
            {
                metadata[pair.Name] = pair.Value.ValueKind == JsonValueKind.String ? pair.Value.GetString()! : pair.Value.GetRawText();
            }
        }

        int? Int(string name) => body.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
        var logprobs = body.TryGetProperty("logprobs", out var lp) && lp.ValueKind == JsonValueKind.True;
        return (new CaptureRequest(
            teacher,
            parsed,
            body.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetSingle() : null,
            Int("max_completion_tokens") ?? Int("max_tokens"),
            body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True,
            logprobs ? Int("top_logprobs") ?? 0 : null,
            metadata), null);
    }
}
