using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Distill.Core.Datasets;

/// <summary>
/// The one JSON form of an example: what the jsonb columns hold, what the JSONL files contain, and what the content
/// hashes are computed over. Deterministic: fixed property order, metadata keys sorted ordinally, nulls omitted,
/// one fixed encoder, so equal content always gives equal bytes.
/// </summary>
public static class ExampleJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Messages(IReadOnlyList<ExampleMessage> messages) => JsonSerializer.Serialize(messages, Options);

    public static string Metadata(IReadOnlyDictionary<string, string> metadata) => JsonSerializer.Serialize(Sorted(metadata), Options);

    public static IReadOnlyList<ExampleMessage> ReadMessages(string json) =>
        JsonSerializer.Deserialize<ExampleMessage[]>(json, Options) ?? [];

    public static IReadOnlyDictionary<string, string> ReadMetadata(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json, Options) ?? [];

    public static ExampleRecord Read(string messages, string metadata) => new(ReadMessages(messages), ReadMetadata(metadata));

    /// <summary>One line of a version's JSONL file (without the newline): the OpenAI fine-tuning shape plus metadata.</summary>
    public static byte[] Line(ExampleRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(new CanonicalLine(record.Messages, Sorted(record.Metadata)), Options);

    /// <summary>sha256 (lowercase hex) of the example's canonical line: its identity, whatever version holds it.</summary>
    public static string ContentHash(ExampleRecord record) => Convert.ToHexStringLower(SHA256.HashData(Line(record)));

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> metadata) => new(metadata.ToDictionary(), StringComparer.Ordinal);

    private sealed record CanonicalLine(
        [property: JsonPropertyName("messages")] IReadOnlyList<ExampleMessage> Messages,
        [property: JsonPropertyName("metadata")] SortedDictionary<string, string> Metadata);
}
