using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Trainer.Checkpoints;

/// <summary>
/// Moves tensors between safetensors files and TorchSharp, bit for bit: bytes are copied between the file and the
/// tensor's own memory, never through float values, so bf16 and f16 weights (NaN payloads included) survive unchanged.
/// </summary>
public static class CheckpointTensors
{
    /// <summary>TorchSharp hands out a tensor's memory as a Span, which cannot reach 2 GiB: larger tensors go in pieces.</summary>
    private const long ChunkBytes = 1L << 30;

    public static ScalarType ToScalarType(SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F64 => ScalarType.Float64,
        SafetensorsDtype.F32 => ScalarType.Float32,
        SafetensorsDtype.F16 => ScalarType.Float16,
        SafetensorsDtype.BF16 => ScalarType.BFloat16,
        SafetensorsDtype.I64 => ScalarType.Int64,
        SafetensorsDtype.I32 => ScalarType.Int32,
        SafetensorsDtype.I16 => ScalarType.Int16,
        SafetensorsDtype.I8 => ScalarType.Int8,
        SafetensorsDtype.U8 => ScalarType.Byte,
        SafetensorsDtype.BOOL => ScalarType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype."),
    };

    public static SafetensorsDtype ToSafetensorsDtype(ScalarType type) => type switch
    {
        ScalarType.Float64 => SafetensorsDtype.F64,
        ScalarType.Float32 => SafetensorsDtype.F32,
        ScalarType.Float16 => SafetensorsDtype.F16,
        ScalarType.BFloat16 => SafetensorsDtype.BF16,
        ScalarType.Int64 => SafetensorsDtype.I64,
        ScalarType.Int32 => SafetensorsDtype.I32,
        ScalarType.Int16 => SafetensorsDtype.I16,
        ScalarType.Int8 => SafetensorsDtype.I8,
        ScalarType.Byte => SafetensorsDtype.U8,
        ScalarType.Bool => SafetensorsDtype.BOOL,
        _ => throw new NotSupportedException($"Tensors of {type} cannot be stored in safetensors by Distill."),
    };

    /// <summary>Reads one tensor of a file into a new CPU tensor of the same dtype and shape.</summary>
    public static Tensor ToTensor(SafetensorsTensor source) => ToTensor(source, ChunkBytes);

    internal static Tensor ToTensor(SafetensorsTensor source, long chunkBytes)
    {
        var tensor = empty(source.ShapeArray(), dtype: ToScalarType(source.Dtype));
        try
        {
            ForEachChunk(tensor, chunkBytes, (byteOffset, chunk) => source.ReadBytes(byteOffset, chunk.bytes));
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A tensor ready for <see cref="SafetensorsWriter"/>: its bytes are taken when written, from a CPU, contiguous copy
    /// if the tensor is on a GPU or strided; the tensor itself is left as it is.
    /// </summary>
    public static SafetensorsTensorSource ToSource(string name, Tensor tensor) => ToSource(name, tensor, ChunkBytes);

    internal static SafetensorsTensorSource ToSource(string name, Tensor tensor, long chunkBytes) =>
        new(name, ToSafetensorsDtype(tensor.dtype), tensor.shape, stream =>
        {
            using var detached = tensor.detach();
            using var onCpu = detached.cpu();
            using var contiguous = onCpu.contiguous();
            ForEachChunk(contiguous, chunkBytes, (_, chunk) => stream.Write(chunk.bytes));
        });

    /// <summary>Every tensor of a checkpoint directory (single file or sharded), by name.</summary>
    public static Dictionary<string, Tensor> LoadTensors(string directory, Device? device = null)
    {
        using var checkpoint = SafetensorsCheckpoint.Open(directory);
        return LoadTensors(checkpoint.Tensors, device);
    }

    public static Dictionary<string, Tensor> LoadTensors(IEnumerable<SafetensorsTensor> sources, Device? device = null)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var source in sources)
            {
                tensors.Add(source.Name, MoveTo(ToTensor(source), device));
            }

            return tensors;
        }
        catch
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Writes the tensors into <paramref name="directory"/> as <c>model.safetensors</c>, or as Hugging Face shards and
    /// index when <paramref name="maxShardBytes"/> splits them, with the <c>{"format": "pt"}</c> metadata.
    /// </summary>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Save(string directory, IEnumerable<KeyValuePair<string, Tensor>> tensors, long? maxShardBytes = null) =>
        SafetensorsCheckpointWriter.Write(directory, [.. tensors.Select(t => ToSource(t.Key, t.Value))], Safetensors.TorchMetadata, maxShardBytes);

    /// <summary>The name Hugging Face's config.json uses for a dtype (<c>torch_dtype</c>).</summary>
    public static string TorchDtypeName(ScalarType type) => type switch
    {
        ScalarType.Float32 => "float32",
        ScalarType.Float16 => "float16",
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float64 => "float64",
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>Hands out a contiguous CPU tensor's memory in pieces small enough for a Span, with each piece's byte offset.</summary>
    private static void ForEachChunk(Tensor contiguous, long chunkBytes, Action<long, Tensor> action)
    {
        var elementSize = contiguous.ElementSize;
        var elements = contiguous.NumberOfElements;
        var perChunk = Math.Max(1, chunkBytes / elementSize);
        using var flat = contiguous.view(-1);
        for (var start = 0L; start < elements; start += perChunk)
        {
            using var chunk = flat.narrow(0, start, Math.Min(perChunk, elements - start));
            action(start * elementSize, chunk);
        }
    }

    private static Tensor MoveTo(Tensor tensor, Device? device)
    {
        if (device is null || device.type == DeviceType.CPU)
        {
            return tensor;
        }

        using (tensor)
        {
            return tensor.to(device);
        }
    }
}
