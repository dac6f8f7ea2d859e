using System.Text.Json;

namespace Distill.Testing.FakeTeacher;

/// <summary>A chat completion request as the fake teacher understood it. TEST FIXTURE.</summary>
public sealed record FakeTeacherRequest(
    FakeTeacherFlavor Flavor,
    string Path,
    string? ApiVersion,
    string? Deployment,
    string? Model,
    IReadOnlyList<(string Role, string Content)> Messages,
    int? MaxTokens,
    bool Logprobs,
    int TopLogprobs,
    bool Stream,
    bool IncludeUsage,
    bool Store,
    IReadOnlyDictionary<string, string> Metadata,
    float? Temperature,
    string Body)
{
    public const string ExampleKeyMetadata = "distill_example";

    public string LastUserMessage => Messages.LastOrDefault(m => m.Role == "user").Content ?? "";

    /// <summary>What the per-example counters are keyed by: the <c>distill_example</c> metadata value, else the last user message.</summary>
    public string ExampleKey => Metadata.TryGetValue(ExampleKeyMetadata, out var key) ? key : LastUserMessage;

    public static FakeTeacherRequest Parse(FakeTeacherFlavor flavor, string path, string? apiVersion, string? deployment, string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var messages = new List<(string, string)>();
        if (root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in list.EnumerateArray())
            {
                messages.Add((String(message, "role") ?? "", Content(message)));
            }
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            foreach (var pair in meta.EnumerateObject())
            {
                metadata[pair.Name] = pair.Value.GetString() ?? "";
            }
        }

        var includeUsage = root.TryGetProperty("stream_options", out var streamOptions) && streamOptions.ValueKind == JsonValueKind.Object
            && Bool(streamOptions, "include_usage");
        return new FakeTeacherRequest(
            flavor,
            path,
            apiVersion,
            deployment,
            String(root, "model"),
            messages,
            Int(root, "max_completion_tokens") ?? Int(root, "max_tokens"),
            Bool(root, "logprobs"),
            Int(root, "top_logprobs") ?? 0,
            Bool(root, "stream"),
            includeUsage,
            Bool(root, "store"),
            metadata,
            root.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetSingle() : null,
            body);
    }

    private static string Content(JsonElement message)
    {
        if (!message.TryGetProperty("content", out var content))
        {
            return "";
        }

        // Content is either a string or a list of parts; only text parts count here.
        return content.ValueKind switch
        {
            JsonValueKind.String => content.GetString()!,
            JsonValueKind.Array => string.Concat(content.EnumerateArray().Select(p => String(p, "text") ?? "")),
            _ => "",
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;

    private static bool Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}

/// <summary>Which service's wire conventions a request arrived under: auth header and error shape differ.</summary>
public enum FakeTeacherFlavor
{
    OpenAI,
    Azure,
}
