using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Distill.Core.Datasets;

/// <summary>
/// An example's JSON as the jsonb columns hold it. Files and hashes use <see cref="Curation.CanonicalJsonl"/>, whose
/// bytes never depend on the runtime; jsonb re-orders keys anyway, so these columns are read back, never hashed.
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

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string> metadata) => new(metadata.ToDictionary(), StringComparer.Ordinal);

}
