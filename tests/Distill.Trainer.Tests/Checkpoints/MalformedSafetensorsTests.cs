using System.Buffers.Binary;
using System.Text;
using Distill.Trainer.Checkpoints;

namespace Distill.Trainer.Tests.Checkpoints;

/// <summary>Each way a safetensors file can be broken gets its own error, naming the file, the tensor and the field.</summary>
public sealed class MalformedSafetensorsTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public static TheoryData<string, int, string?, string?, string> BrokenHeaders => new()
    {
        { """{"w": """, 0, null, "header", "not valid JSON" },
        { "[1, 2]", 0, null, "header", "must be a JSON object" },
        { """{"w": 5}""", 0, "w", null, "must be described by an object" },
        { """{"w": {"dtype": "Q4", "shape": [2], "data_offsets": [0, 8]}}""", 8, "w", "dtype", "\"Q4\", which is not one of F64, F32, F16, BF16" },
        { """{"w": {"dtype": 4, "shape": [2], "data_offsets": [0, 8]}}""", 8, "w", "dtype", "the number 4" },
        { """{"w": {"shape": [2], "data_offsets": [0, 8]}}""", 8, "w", "dtype", "has no 'dtype' field" },
        { """{"w": {"dtype": "F32", "data_offsets": [0, 8]}}""", 8, "w", "shape", "has no 'shape' field" },
        { """{"w": {"dtype": "F32", "shape": [2]}}""", 8, "w", "data_offsets", "has no 'data_offsets' field" },
        { """{"w": {"dtype": "F32", "shape": [-1, 2], "data_offsets": [0, 8]}}""", 8, "w", "shape", "not an array of non-negative integers" },
        { """{"w": {"dtype": "F32", "shape": [2.5], "data_offsets": [0, 8]}}""", 8, "w", "shape", "not an array of non-negative integers" },
        { """{"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}""", 8, "w", "data_offsets", "0 <= begin <= end" },
        { """{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0]}}""", 8, "w", "data_offsets", "0 <= begin <= end" },
        { """{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}""", 8, "w", "data_offsets", "covering 8 bytes, but shape [3] of F32 takes 12 bytes" },
        { """{"w": {"dtype": "BF16", "shape": [2, 3], "data_offsets": [0, 8]}}""", 8, "w", "data_offsets", "shape [2, 3] of BF16 takes 12 bytes" },
        { """{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}""", 8, "w", "data_offsets", "past the 8-byte data region, so the file is truncated" },
        {
            """{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [2], "data_offsets": [4, 12]}}""",
            12, "b", "data_offsets", "overlapping tensor 'a' at [0, 8]"
        },
        {
            """{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}""",
            12, "b", "data_offsets", "leaving data bytes [4, 8) unused"
        },
        { """{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}""", 12, "a", "data_offsets", "ending at byte 8 of the 12-byte data region" },
        { "{}", 4, null, "data_offsets", "declares no tensors, leaving the 4-byte data region unused" },
        { """{"__metadata__": {"format": 1}}""", 0, null, "__metadata__.format", "metadata 'format' must be a string" },
        { """{"__metadata__": ["pt"]}""", 0, null, "__metadata__", "must be an object of strings" },
        {
            """{"w": {"dtype": "U8", "shape": [1], "data_offsets": [0, 1]}, "w": {"dtype": "U8", "shape": [1], "data_offsets": [1, 2]}}""",
            2, "w", "header", "names tensor 'w' twice"
        },
    };

    [Theory]
    [MemberData(nameof(BrokenHeaders))]
    public void A_broken_header_is_reported_with_file_tensor_and_field(string header, int dataBytes, string? tensor, string? field, string problem)
    {
        var path = WriteRaw(Encoding.UTF8.GetBytes(header), dataBytes);

        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));

        AssertNames(error, path, tensor, field);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_file_too_short_for_the_header_length_is_truncated()
    {
        var path = _directory.Combine("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));

        AssertNames(error, path, null, "header length");
        Assert.Contains("3 bytes long, too short to hold the 8-byte header length", error.Message);
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_truncated()
    {
        var path = WriteRaw("{}"u8.ToArray(), 0, declaredLength: 1000);

        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));

        AssertNames(error, path, null, "header length");
        Assert.Contains("declares a 1000-byte header but has only 2 bytes", error.Message);
    }

    [Fact]
    public void A_header_over_the_format_limit_is_refused_before_it_is_read()
    {
        var path = _directory.Combine("huge.safetensors");
        using (var stream = File.Create(path))
        {
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, 150_000_000);
            stream.Write(length);
            // Sparse: the file is long enough for the declared header without taking the disk space.
            stream.SetLength(160_000_000);
        }

        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));

        AssertNames(error, path, null, "header length");
        Assert.Contains("more than the format's limit", error.Message);
    }

    [Fact]
    public void A_valid_file_cut_short_names_the_tensor_that_lost_its_data()
    {
        var path = _directory.Combine("cut.safetensors");
        SafetensorsWriter.Write(path,
        [
            SafetensorsTensorSource.FromBytes("first", SafetensorsDtype.F32, [2], new byte[8]),
            SafetensorsTensorSource.FromBytes("second", SafetensorsDtype.F32, [2], new byte[8]),
        ]);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 4);
        }

        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsFile.Open(path));

        AssertNames(error, path, "second", "data_offsets");
        Assert.Contains("file is truncated", error.Message);
    }

    [Fact]
    public void A_file_shrunk_after_opening_reports_the_truncation_when_read()
    {
        var path = _directory.Combine("shrinking.safetensors");
        SafetensorsWriter.Write(path, [SafetensorsTensorSource.FromBytes("w", SafetensorsDtype.U8, [16], new byte[16])]);
        using var file = SafetensorsFile.Open(path);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.SetLength(stream.Length - 8);
        }

        var error = Assert.Throws<CheckpointFormatException>(() => file["w"].ReadAllBytes());

        Assert.Equal(path, error.Path);
        Assert.Contains("truncated after it was opened", error.Message);
    }

    public void Dispose() => _directory.Dispose();

    private static void AssertNames(CheckpointFormatException error, string path, string? tensor, string? field)
    {
        Assert.Equal(path, error.Path);
        Assert.Equal(tensor, error.Tensor);
        Assert.Equal(field, error.Field);
        Assert.StartsWith(path, error.Message);
        if (tensor is not null)
        {
            Assert.Contains($"'{tensor}'", error.Message);
        }
    }

    private string WriteRaw(byte[] header, int dataBytes, ulong? declaredLength = null)
    {
        var path = _directory.Combine("broken.safetensors");
        var length = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, declaredLength ?? (ulong)header.Length);
        File.WriteAllBytes(path, [.. length, .. header, .. new byte[dataBytes]]);
        return path;
    }
}
