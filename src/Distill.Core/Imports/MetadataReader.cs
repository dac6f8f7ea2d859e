using System.Text;
using System.Text.Json;
using Distill.Core.Datasets;

namespace Distill.Core.Imports;

/// <summary>
/// Reads a top-level <c>metadata</c> object into string metadata, the shape stored completions use. Numbers and
/// booleans keep their JSON text ("3", "true"), so nothing is lost to parsing; a null value is no value and adds no
/// key; nested objects and arrays have no string form a filter could use and are refused. One reader serves one
/// import and remembers the keys it has seen: a file repeats the same few keys on every line, and each would
/// otherwise be a new string per line.
/// </summary>
internal sealed class MetadataReader
{
    private const int RememberedKeys = 32;
    private readonly List<(byte[] Utf8, string Name)> _keys = [];

    public Dictionary<string, string>? Read(JsonElement metadata, IssueCollector issues)
    {
        if (JsonKinds.IsAbsent(metadata))
        {
            return null;
        }

        if (metadata.ValueKind != JsonValueKind.Object)
        {
            issues.Add("metadata", $"expected an object of strings, got {JsonKinds.Describe(metadata)}");
            return null;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in metadata.EnumerateObject())
        {
            var value = entry.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    values[Key(entry)] = value.GetString()!;
                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    values[Key(entry)] = value.GetRawText();
                    break;
                case JsonValueKind.Null:
                    break;
                default:
                    issues.Add($"metadata.{entry.Name}", $"expected a string, number or boolean, got {JsonKinds.Describe(value)}; nested values are not supported");
                    break;
            }
        }

        return values;
    }

    public static IReadOnlyDictionary<string, string> OrNone(Dictionary<string, string>? metadata) =>
        metadata is { Count: > 0 } ? metadata : ExampleRecord.NoMetadata;

    private string Key(JsonProperty entry)
    {
        foreach (var (utf8, name) in _keys)
        {
            if (entry.NameEquals(utf8))
            {
                return name;
            }
        }

        var key = entry.Name;
        if (_keys.Count < RememberedKeys)
        {
            _keys.Add((Encoding.UTF8.GetBytes(key), key));
        }

        return key;
    }
}
