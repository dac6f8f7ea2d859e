using System.Text.Json;
using System.Text.Json.Nodes;

namespace Distill.Trainer.Checkpoints;

/// <summary>
/// <c>model.safetensors.index.json</c> of a sharded checkpoint:
/// <c>{"metadata": {"total_size": N}, "weight_map": {tensor: shard file name}}</c>.
/// </summary>
public sealed record SafetensorsIndex(long? TotalSize, IReadOnlyDictionary<string, string> WeightMap)
{
    /// <summary>The shard files the weight map names, in name order (which is shard order).</summary>
    public IReadOnlyList<string> ShardFileNames => WeightMap.Values.Distinct().Order(StringComparer.Ordinal).ToList();

    public static SafetensorsIndex Read(string path)
    {
        using var document = ParseJson(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointFormatException(path, null, null, $"{path}: the index must be a JSON object, but it is {JsonDescriptions.Describe(root)}.");
        }

        if (!root.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
        {
            throw new CheckpointFormatException(path, null, "weight_map", $"{path}: the index has no 'weight_map' object.");
        }

        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in map.EnumerateObject())
        {
            var shard = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : "";
            // A shard is a file beside the index: a path would let a downloaded index point anywhere on disk.
            if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or "..")
            {
                throw new CheckpointFormatException(path, entry.Name, "weight_map",
                    $"{path}: tensor '{entry.Name}' maps to {JsonDescriptions.Describe(entry.Value)}, which is not the name of a file beside the index.");
            }

            if (!weightMap.TryAdd(entry.Name, shard))
            {
                throw new CheckpointFormatException(path, entry.Name, "weight_map", $"{path}: the weight_map names tensor '{entry.Name}' twice.");
            }
        }

        return new SafetensorsIndex(ReadTotalSize(root), weightMap);
    }

    public void Write(string path)
    {
        var index = new JsonObject
        {
            ["metadata"] = TotalSize is { } total ? new JsonObject { ["total_size"] = total } : new JsonObject(),
            ["weight_map"] = new JsonObject(WeightMap
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => KeyValuePair.Create(e.Key, (JsonNode?)JsonValue.Create(e.Value)))),
        };
        File.WriteAllText(path, index.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException ex)
        {
            throw new CheckpointFormatException(path, null, null, $"{path}: the index is not valid JSON ({ex.Message.TrimEnd('.')}).");
        }
    }

    /// <summary>Informational only: exporters disagree on what it counts, so it is read when present and never checked.</summary>
    private static long? ReadTotalSize(JsonElement root) =>
        root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
        && metadata.TryGetProperty("total_size", out var total) && total.ValueKind == JsonValueKind.Number
        && total.TryGetInt64(out var size)
            ? size
            : null;
}
