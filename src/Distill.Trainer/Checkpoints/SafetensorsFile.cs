using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Distill.Trainer.Checkpoints;

/// <summary>
/// An open safetensors file: the header is read and checked on <see cref="Open"/>, the data stays on disk and is read
/// with positional reads, so several tensors can be read at once and nothing is held in memory for the file itself.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, SafetensorsTensor> _byName;

    private SafetensorsFile(string path, SafeFileHandle handle, long headerLength,
        IReadOnlyList<SafetensorsHeaderEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _handle = handle;
        HeaderLength = headerLength;
        Metadata = metadata;
        Tensors = entries.Select(e => new SafetensorsTensor(this, e)).ToList();
        _byName = Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public string Path { get; }

    /// <summary>N, the JSON header's length in bytes, padding included.</summary>
    public long HeaderLength { get; }

    /// <summary>Where the data region starts in the file.</summary>
    public long DataStart => Safetensors.HeaderLengthBytes + HeaderLength;

    /// <summary>The header's <c>__metadata__</c>; empty when it has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>In header order.</summary>
    public IReadOnlyList<SafetensorsTensor> Tensors { get; }

    public SafetensorsTensor this[string name] =>
        _byName.TryGetValue(name, out var tensor)
            ? tensor
            : throw new KeyNotFoundException($"{Path} has no tensor '{name}'.");

    public bool TryGetTensor(string name, out SafetensorsTensor tensor) => _byName.TryGetValue(name, out tensor!);

    public static SafetensorsFile Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            var fileLength = RandomAccess.GetLength(handle);
            if (fileLength < Safetensors.HeaderLengthBytes)
            {
                throw new CheckpointFormatException(path, null, "header length",
                    $"{path} is {fileLength} bytes long, too short to hold the 8-byte header length, so it is truncated or not safetensors.");
            }

            Span<byte> lengthBytes = stackalloc byte[Safetensors.HeaderLengthBytes];
            ReadExactly(handle, path, 0, lengthBytes);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            var room = (ulong)(fileLength - Safetensors.HeaderLengthBytes);
            if (headerLength > room)
            {
                throw new CheckpointFormatException(path, null, "header length",
                    $"{path} declares a {headerLength}-byte header but has only {room} bytes after the header length, so it is truncated or not safetensors.");
            }

            if (headerLength > Safetensors.MaxHeaderBytes)
            {
                throw new CheckpointFormatException(path, null, "header length",
                    $"{path} declares a {headerLength}-byte header, more than the format's limit of {Safetensors.MaxHeaderBytes} bytes.");
            }

            var header = new byte[headerLength];
            ReadExactly(handle, path, Safetensors.HeaderLengthBytes, header);
            var dataLength = fileLength - Safetensors.HeaderLengthBytes - (long)headerLength;
            var (entries, metadata) = SafetensorsHeader.Parse(path, header, dataLength);
            return new SafetensorsFile(path, handle, (long)headerLength, entries, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    internal void ReadData(long dataOffset, Span<byte> destination) =>
        ReadExactly(_handle, Path, DataStart + dataOffset, destination);

    private static void ReadExactly(SafeFileHandle handle, string path, long fileOffset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, fileOffset);
            if (read == 0)
            {
                // The header was checked against the length at open: the file has shrunk since.
                throw new CheckpointFormatException(path, null, "data",
                    $"{path} ended at byte {fileOffset} while reading it; it was truncated after it was opened.");
            }

            destination = destination[read..];
            fileOffset += read;
        }
    }

    public void Dispose() => _handle.Dispose();
}
