namespace Distill.Trainer.Checkpoints;

/// <summary>
/// A tensor of an open safetensors file, described but not read: its bytes come off the disk only when asked for,
/// so a many-gigabyte checkpoint can be inspected, validated and loaded one tensor at a time.
/// </summary>
public sealed class SafetensorsTensor
{
    private readonly long[] _shape;

    internal SafetensorsTensor(SafetensorsFile file, SafetensorsHeaderEntry entry)
    {
        File = file;
        Name = entry.Name;
        Dtype = entry.Dtype;
        _shape = entry.Shape;
        DataBegin = entry.Begin;
        DataEnd = entry.End;
    }

    public SafetensorsFile File { get; }

    public string Name { get; }

    public SafetensorsDtype Dtype { get; }

    /// <summary>Row-major; empty for a scalar.</summary>
    public IReadOnlyList<long> Shape => _shape;

    /// <summary>Where the bytes start, relative to the data region (the header's <c>data_offsets[0]</c>).</summary>
    public long DataBegin { get; }

    public long DataEnd { get; }

    public long ByteLength => DataEnd - DataBegin;

    public long ElementCount => ByteLength / Dtype.ElementSize();

    /// <summary>Fills <paramref name="destination"/> with this tensor's bytes from <paramref name="offset"/> on.</summary>
    public void ReadBytes(long offset, Span<byte> destination)
    {
        if (offset < 0 || offset + destination.Length > ByteLength)
        {
            throw new ArgumentOutOfRangeException(nameof(offset),
                $"Bytes [{offset}, {offset + destination.Length}) are outside tensor '{Name}', which has {ByteLength}.");
        }

        File.ReadData(DataBegin + offset, destination);
    }

    /// <summary>All of the tensor's bytes at once; for tensors that fit in one array.</summary>
    public byte[] ReadAllBytes()
    {
        var bytes = new byte[ByteLength];
        ReadBytes(0, bytes);
        return bytes;
    }

    public long[] ShapeArray() => (long[])_shape.Clone();

    public override string ToString() => $"{Name} {Dtype.HeaderName()} [{string.Join(", ", _shape)}]";
}
