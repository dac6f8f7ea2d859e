namespace Distill.Trainer.Checkpoints;

/// <summary>
/// A tensor to be written: its description now, its bytes only when the writer reaches it, so a checkpoint larger
/// than memory can be written tensor by tensor.
/// </summary>
public sealed class SafetensorsTensorSource
{
    private const int CopyChunkBytes = 1 << 20;

    private readonly long[] _shape;

    /// <param name="writeBytes">Writes exactly the tensor's row-major, little-endian bytes to the stream it is given.</param>
    public SafetensorsTensorSource(string name, SafetensorsDtype dtype, IReadOnlyList<long> shape, Action<Stream> writeBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (shape.Any(d => d < 0))
        {
            throw new ArgumentException($"Tensor '{name}' has a negative dimension in shape [{string.Join(", ", shape)}].", nameof(shape));
        }

        Name = name;
        Dtype = dtype;
        _shape = [.. shape];
        WriteBytes = writeBytes;
        ByteLength = checked(_shape.Aggregate(1L, (count, dimension) => count * dimension) * dtype.ElementSize());
    }

    public string Name { get; }

    public SafetensorsDtype Dtype { get; }

    public IReadOnlyList<long> Shape => _shape;

    public long ByteLength { get; }

    public Action<Stream> WriteBytes { get; }

    public static SafetensorsTensorSource FromBytes(string name, SafetensorsDtype dtype, IReadOnlyList<long> shape, ReadOnlyMemory<byte> bytes) =>
        new(name, dtype, shape, stream => stream.Write(bytes.Span));

    /// <summary>Copies a tensor of an open file as it is, for re-sharding or filtering without a round trip through torch.</summary>
    public static SafetensorsTensorSource From(SafetensorsTensor tensor) =>
        new(tensor.Name, tensor.Dtype, tensor.Shape, stream => CopyTo(tensor, stream));

    private static void CopyTo(SafetensorsTensor tensor, Stream stream)
    {
        var chunk = new byte[Math.Min(CopyChunkBytes, tensor.ByteLength)];
        for (var offset = 0L; offset < tensor.ByteLength; offset += chunk.Length)
        {
            var part = chunk.AsSpan(0, (int)Math.Min(chunk.Length, tensor.ByteLength - offset));
            tensor.ReadBytes(offset, part);
            stream.Write(part);
        }
    }
}
