using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Distill.Trainer.Checkpoints;

namespace Distill.Trainer.Tests.Checkpoints;

/// <summary>What we write is checked against the format's specification by hand, not by our own reader.</summary>
public sealed class SafetensorsLayoutTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public void The_smallest_file_is_byte_for_byte_what_the_specification_describes()
    {
        var path = _directory.Combine("one.safetensors");
        byte[] data = [0, 0, 128, 63, 0, 0, 0, 64]; // 1.0f, 2.0f

        SafetensorsWriter.Write(path, [SafetensorsTensorSource.FromBytes("a", SafetensorsDtype.F32, [2], data)], Safetensors.TorchMetadata);

        const string json = """{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";
        var padded = json + new string(' ', (8 - json.Length % 8) % 8);
        byte[] expected = [.. BitConverter.GetBytes((ulong)padded.Length), .. Encoding.UTF8.GetBytes(padded), .. data];
        Assert.True(BitConverter.IsLittleEndian);
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_written_file_has_an_aligned_padded_header_and_offsets_that_tile_the_data_in_alignment()
    {
        var path = _directory.Combine("mixed.safetensors");
        var given = new Dictionary<string, (SafetensorsDtype Dtype, long[] Shape, byte[] Bytes)>
        {
            ["weight.bf16"] = (SafetensorsDtype.BF16, [3, 5], Pattern(30, 1)),
            ["mask"] = (SafetensorsDtype.BOOL, [7], [1, 0, 1, 1, 0, 0, 1]),
            ["ids"] = (SafetensorsDtype.I64, [3], Pattern(24, 2)),
            ["bytes"] = (SafetensorsDtype.U8, [1, 3], Pattern(3, 3)),
            ["scale"] = (SafetensorsDtype.F32, [], Pattern(4, 4)),
            ["empty"] = (SafetensorsDtype.F16, [0, 4], []),
            ["counts"] = (SafetensorsDtype.I32, [2, 1], Pattern(8, 5)),
            ["weight.f16"] = (SafetensorsDtype.F16, [5], Pattern(10, 6)),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode + <html>" };

        SafetensorsWriter.Write(path, given.Select(g => SafetensorsTensorSource.FromBytes(g.Key, g.Value.Dtype, g.Value.Shape, g.Value.Bytes)), metadata);

        var file = File.ReadAllBytes(path);
        var headerLength = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(file));
        Assert.Equal(0, headerLength % 8);
        var header = Encoding.UTF8.GetString(file, 8, headerLength);
        var json = header.TrimEnd(' ');
        Assert.EndsWith("}", json);
        Assert.Equal(new string(' ', header.Length - json.Length), header[json.Length..]);

        using var document = JsonDocument.Parse(json);
        var properties = document.RootElement.EnumerateObject().ToList();
        Assert.Equal("__metadata__", properties[0].Name);
        Assert.Equal(metadata, properties[0].Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));

        var data = file.AsSpan(8 + headerLength);
        var covered = 0L;
        foreach (var tensor in properties.Skip(1).OrderBy(p => p.Value.GetProperty("data_offsets")[0].GetInt64()))
        {
            var (dtype, shape, bytes) = given[tensor.Name];
            Assert.Equal(dtype.ToString(), tensor.Value.GetProperty("dtype").GetString());
            Assert.Equal(shape, tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            var begin = tensor.Value.GetProperty("data_offsets")[0].GetInt64();
            var end = tensor.Value.GetProperty("data_offsets")[1].GetInt64();
            Assert.Equal(covered, begin);
            Assert.Equal(0, (8 + headerLength + begin) % dtype.ElementSize());
            Assert.Equal(bytes, data[(int)begin..(int)end].ToArray());
            covered = end;
        }

        Assert.Equal(given.Count, properties.Count - 1);
        Assert.Equal(data.Length, covered);
    }

    [Fact]
    public void Our_reader_sees_what_was_written()
    {
        var path = _directory.Combine("read.safetensors");
        var bytes = Pattern(24, 9);
        SafetensorsWriter.Write(path,
            [SafetensorsTensorSource.FromBytes("x", SafetensorsDtype.I64, [3], bytes), SafetensorsTensorSource.FromBytes("s", SafetensorsDtype.U8, [], new byte[] { 7 })],
            new Dictionary<string, string> { ["k"] = "v" });

        using var file = SafetensorsFile.Open(path);

        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, file.Metadata);
        Assert.Equal(["x", "s"], file.Tensors.Select(t => t.Name));
        Assert.Equal([3L], file["x"].Shape);
        Assert.Empty(file["s"].Shape);
        Assert.Equal(1, file["s"].ElementCount);
        Assert.Equal(bytes, file["x"].ReadAllBytes());
        var middle = new byte[8];
        file["x"].ReadBytes(8, middle);
        Assert.Equal(bytes[8..16], middle);
        Assert.Throws<ArgumentOutOfRangeException>(() => file["x"].ReadBytes(20, middle));
        Assert.Throws<KeyNotFoundException>(() => file["nope"]);
    }

    [Fact]
    public void A_tensor_whose_source_writes_the_wrong_length_leaves_no_file()
    {
        var path = _directory.Combine("wrong.safetensors");
        var liar = new SafetensorsTensorSource("w", SafetensorsDtype.F32, [4], stream => stream.Write(new byte[12]));

        var error = Assert.Throws<InvalidOperationException>(() => SafetensorsWriter.Write(path, [liar]));

        Assert.Contains("'w' wrote 12 bytes", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void Duplicate_and_reserved_names_are_refused()
    {
        var path = _directory.Combine("dup.safetensors");
        var one = SafetensorsTensorSource.FromBytes("w", SafetensorsDtype.U8, [1], new byte[] { 1 });

        Assert.Contains("'w' is given 2 times", Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [one, one])).Message);
        var reserved = SafetensorsTensorSource.FromBytes("__metadata__", SafetensorsDtype.U8, [1], new byte[] { 1 });
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path, [reserved]));
    }

    public void Dispose() => _directory.Dispose();

    private static byte[] Pattern(int length, int seed) => [.. Enumerable.Range(0, length).Select(i => (byte)(i * 31 + seed * 17))];
}
