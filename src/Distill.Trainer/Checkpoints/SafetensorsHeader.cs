using System.Text.Json;

namespace Distill.Trainer.Checkpoints;

/// <summary>One tensor as the header declares it; offsets are relative to the start of the data region.</summary>
internal sealed record SafetensorsHeaderEntry(string Name, SafetensorsDtype Dtype, long[] Shape, long Begin, long End);

/// <summary>
/// Parses and checks a safetensors header. Only the header goes through JSON; the data region is never read here,
/// it is only measured, so a header that passes describes every byte of the data exactly once.
/// </summary>
internal static class SafetensorsHeader
{
    public static (IReadOnlyList<SafetensorsHeaderEntry> Tensors, IReadOnlyDictionary<string, string> Metadata) Parse(
        string path, ReadOnlyMemory<byte> json, long dataLength)
    {
        using var document = ParseJson(path, json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, null, "header", $"{path}: the safetensors header must be a JSON object, but it is {JsonDescriptions.Describe(root)}.");
        }

        var tensors = new List<SafetensorsHeaderEntry>();
        var metadata = new Dictionary<string, string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                throw Error(path, property.Name, "header", $"{path}: the header names tensor '{property.Name}' twice.");
            }

            if (property.Name == Safetensors.MetadataKey)
            {
                metadata = ParseMetadata(path, property.Value);
            }
            else
            {
                tensors.Add(ParseTensor(path, property.Name, property.Value, dataLength));
            }
        }

        CheckTiling(path, tensors, dataLength);
        return (tensors, metadata);
    }

    private static JsonDocument ParseJson(string path, ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw Error(path, null, "header", $"{path}: the safetensors header is not valid JSON ({ex.Message.TrimEnd('.')}).");
        }
    }

    private static Dictionary<string, string> ParseMetadata(string path, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, null, Safetensors.MetadataKey,
                $"{path}: '{Safetensors.MetadataKey}' must be an object of strings, but it is {JsonDescriptions.Describe(value)}.");
        }

        var metadata = new Dictionary<string, string>();
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Error(path, null, $"{Safetensors.MetadataKey}.{entry.Name}",
                    $"{path}: metadata '{entry.Name}' must be a string, but it is {JsonDescriptions.Describe(entry.Value)}.");
            }

            metadata[entry.Name] = entry.Value.GetString()!;
        }

        return metadata;
    }

    private static SafetensorsHeaderEntry ParseTensor(string path, string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, name, null, $"{path}: tensor '{name}' must be described by an object, but it is {JsonDescriptions.Describe(value)}.");
        }

        var dtype = ParseDtype(path, name, Field(path, name, value, "dtype"));
        var shape = ParseShape(path, name, Field(path, name, value, "shape"));
        var (begin, end) = ParseOffsets(path, name, Field(path, name, value, "data_offsets"));

        var expected = ByteLength(path, name, dtype, shape);
        if (end - begin != expected)
        {
            throw Error(path, name, "data_offsets",
                $"{path}: tensor '{name}' has data_offsets [{begin}, {end}] covering {end - begin} bytes, " +
                $"but shape [{string.Join(", ", shape)}] of {dtype.HeaderName()} takes {expected} bytes.");
        }

        if (end > dataLength)
        {
            throw Error(path, name, "data_offsets",
                $"{path}: tensor '{name}' has data_offsets [{begin}, {end}] reaching past the {dataLength}-byte data region, so the file is truncated.");
        }

        return new SafetensorsHeaderEntry(name, dtype, shape, begin, end);
    }

    private static JsonElement Field(string path, string name, JsonElement tensor, string field) =>
        tensor.TryGetProperty(field, out var value)
            ? value
            : throw Error(path, name, field, $"{path}: tensor '{name}' has no '{field}' field.");

    private static SafetensorsDtype ParseDtype(string path, string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String && SafetensorsDtypes.TryParse(value.GetString()!, out var dtype))
        {
            return dtype;
        }

        throw Error(path, name, "dtype",
            $"{path}: tensor '{name}' has dtype {JsonDescriptions.Describe(value)}, which is not one of {SafetensorsDtypes.Supported}.");
    }

    private static long[] ParseShape(string path, string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            var shape = new long[value.GetArrayLength()];
            var valid = true;
            for (var i = 0; i < shape.Length && valid; i++)
            {
                valid = TryGetNonNegative(value[i], out shape[i]);
            }

            if (valid)
            {
                return shape;
            }
        }

        throw Error(path, name, "shape",
            $"{path}: tensor '{name}' has shape {value.GetRawText()}, which is not an array of non-negative integers.");
    }

    private static (long Begin, long End) ParseOffsets(string path, string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2
            && TryGetNonNegative(value[0], out var begin) && TryGetNonNegative(value[1], out var end) && begin <= end)
        {
            return (begin, end);
        }

        throw Error(path, name, "data_offsets",
            $"{path}: tensor '{name}' has data_offsets {value.GetRawText()}, which is not [begin, end] with 0 <= begin <= end.");
    }

    private static long ByteLength(string path, string name, SafetensorsDtype dtype, long[] shape)
    {
        try
        {
            var elements = 1L;
            foreach (var dimension in shape)
            {
                elements = checked(elements * dimension);
            }

            return checked(elements * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw Error(path, name, "shape", $"{path}: tensor '{name}' has shape [{string.Join(", ", shape)}], too large to address.");
        }
    }

    /// <summary>The format forbids holes and overlaps: sorted by offset, each tensor must start where the last ended.</summary>
    private static void CheckTiling(string path, List<SafetensorsHeaderEntry> tensors, long dataLength)
    {
        var covered = 0L;
        SafetensorsHeaderEntry? previous = null;
        foreach (var tensor in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (tensor.Begin < covered)
            {
                throw Error(path, tensor.Name, "data_offsets",
                    $"{path}: tensor '{tensor.Name}' has data_offsets [{tensor.Begin}, {tensor.End}] overlapping tensor '{previous!.Name}' at [{previous.Begin}, {previous.End}].");
            }

            if (tensor.Begin > covered)
            {
                throw Error(path, tensor.Name, "data_offsets",
                    $"{path}: tensor '{tensor.Name}' has data_offsets [{tensor.Begin}, {tensor.End}], leaving data bytes [{covered}, {tensor.Begin}) unused.");
            }

            covered = tensor.End;
            previous = tensor;
        }

        if (covered != dataLength)
        {
            throw previous is null
                ? Error(path, null, "data_offsets", $"{path}: the header declares no tensors, leaving the {dataLength}-byte data region unused.")
                : Error(path, previous.Name, "data_offsets",
                    $"{path}: the last tensor, '{previous.Name}', has data_offsets ending at byte {covered} of the {dataLength}-byte data region, leaving the rest unused.");
        }
    }

    private static bool TryGetNonNegative(JsonElement value, out long number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out number) && number >= 0;
    }

    private static CheckpointFormatException Error(string path, string? tensor, string? field, string message) =>
        new(path, tensor, field, message);
}
