using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Distill.Trainer.Checkpoints;

/// <summary>Writes one safetensors file (see <see cref="Safetensors"/> for the layout).</summary>
public static class SafetensorsWriter
{
    public static void Write(string path, IEnumerable<SafetensorsTensorSource> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = DataOrder(path, tensors);
        var header = Header(ordered, metadata);

        // Written aside and moved into place, so a crash never leaves a half-written file under the real name.
        var partial = path + ".partial";
        try
        {
            using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
            {
                Span<byte> headerLength = stackalloc byte[Safetensors.HeaderLengthBytes];
                BinaryPrimitives.WriteUInt64LittleEndian(headerLength, (ulong)header.Length);
                stream.Write(headerLength);
                stream.Write(header);
                foreach (var tensor in ordered)
                {
                    WriteData(path, tensor, stream);
                }
            }

            File.Move(partial, path, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>
    /// Widest elements first, then by name: with the data region 8-byte aligned, every tensor then starts aligned to its
    /// own element size and can be used in place (the reference implementation sorts by dtype for the same reason), and
    /// the same tensors always give the same file.
    /// </summary>
    private static List<SafetensorsTensorSource> DataOrder(string path, IEnumerable<SafetensorsTensorSource> tensors)
    {
        var ordered = tensors
            .OrderByDescending(t => t.Dtype.ElementSize())
            .ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var reserved = ordered.FirstOrDefault(t => t.Name == Safetensors.MetadataKey);
        if (reserved is not null)
        {
            throw new ArgumentException($"{path}: a tensor cannot be named '{Safetensors.MetadataKey}', the header's metadata key.", nameof(tensors));
        }

        var duplicate = ordered.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"{path}: tensor '{duplicate.Key}' is given {duplicate.Count()} times.", nameof(tensors));
        }

        return ordered;
    }

    /// <summary>The JSON header, metadata first, padded with spaces to the alignment.</summary>
    internal static byte[] Header(IReadOnlyList<SafetensorsTensorSource> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        var json = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps names and metadata readable in the file; the header is never embedded in HTML.
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(Safetensors.MetadataKey);
                foreach (var (key, value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            var offset = 0L;
            foreach (var tensor in ordered)
            {
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", tensor.Dtype.HeaderName());
                writer.WriteStartArray("shape");
                foreach (var dimension in tensor.Shape)
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += tensor.ByteLength;
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        var padded = (json.WrittenCount + Safetensors.Alignment - 1) / Safetensors.Alignment * Safetensors.Alignment;
        var header = new byte[padded];
        json.WrittenSpan.CopyTo(header);
        header.AsSpan(json.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteData(string path, SafetensorsTensorSource tensor, FileStream stream)
    {
        var start = stream.Position;
        tensor.WriteBytes(stream);
        var written = stream.Position - start;
        if (written != tensor.ByteLength)
        {
            throw new InvalidOperationException(
                $"{path}: tensor '{tensor.Name}' wrote {written} bytes, but shape [{string.Join(", ", tensor.Shape)}] of {tensor.Dtype.HeaderName()} takes {tensor.ByteLength}.");
        }
    }
}
