using System.Buffers.Binary;
using Distill.Trainer.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Trainer.Tests.Checkpoints;

public sealed class CheckpointTensorsTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    [Theory]
    [InlineData(SafetensorsDtype.F16)]
    [InlineData(SafetensorsDtype.BF16)]
    public void Every_16_bit_pattern_survives_file_to_tensor_to_file(SafetensorsDtype dtype)
    {
        // All 65,536 patterns: NaN payloads, signed zeros, subnormals and infinities included.
        var bytes = new byte[65536 * 2];
        for (var i = 0; i < 65536; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), (ushort)i);
        }

        var tensor = RoundTripThroughTorch(dtype, [256, 256], bytes, out var written);

        Assert.Equal(CheckpointTensors.ToScalarType(dtype), tensor.dtype);
        Assert.Equal(bytes, written);
    }

    [Theory]
    [InlineData(SafetensorsDtype.F64, ScalarType.Float64)]
    [InlineData(SafetensorsDtype.F32, ScalarType.Float32)]
    [InlineData(SafetensorsDtype.F16, ScalarType.Float16)]
    [InlineData(SafetensorsDtype.BF16, ScalarType.BFloat16)]
    [InlineData(SafetensorsDtype.I64, ScalarType.Int64)]
    [InlineData(SafetensorsDtype.I32, ScalarType.Int32)]
    [InlineData(SafetensorsDtype.I16, ScalarType.Int16)]
    [InlineData(SafetensorsDtype.I8, ScalarType.Int8)]
    [InlineData(SafetensorsDtype.U8, ScalarType.Byte)]
    [InlineData(SafetensorsDtype.BOOL, ScalarType.Bool)]
    public void Each_dtype_maps_to_its_torch_type_and_back(SafetensorsDtype dtype, ScalarType type)
    {
        Assert.Equal(type, CheckpointTensors.ToScalarType(dtype));
        Assert.Equal(dtype, CheckpointTensors.ToSafetensorsDtype(type));
    }

    [Fact]
    public void Values_read_are_the_values_written()
    {
        var floats = new float[] { 1.5f, -2.25f, float.Epsilon, float.MaxValue, -0f, 3e-8f };
        using var f32 = RoundTripThroughTorch(SafetensorsDtype.F32, [2, 3], [.. floats.SelectMany(BitConverter.GetBytes)], out _);
        Assert.Equal([2L, 3L], f32.shape);
        Assert.Equal(floats, f32.data<float>().ToArray());

        var longs = new long[] { long.MinValue, -1, 0, 42, long.MaxValue };
        using var i64 = RoundTripThroughTorch(SafetensorsDtype.I64, [5], [.. longs.SelectMany(BitConverter.GetBytes)], out _);
        Assert.Equal(longs, i64.data<long>().ToArray());

        var ints = new int[] { int.MinValue, 7, int.MaxValue };
        using var i32 = RoundTripThroughTorch(SafetensorsDtype.I32, [3, 1], [.. ints.SelectMany(BitConverter.GetBytes)], out _);
        Assert.Equal(ints, i32.data<int>().ToArray());

        using var flags = RoundTripThroughTorch(SafetensorsDtype.BOOL, [4], [1, 0, 0, 1], out _);
        Assert.Equal([true, false, false, true], flags.data<bool>().ToArray());

        using var half = RoundTripThroughTorch(SafetensorsDtype.BF16, [2], [0x80, 0x3F, 0x40, 0xC0], out _);
        Assert.Equal([1f, -3f], half.to_type(ScalarType.Float32).data<float>().ToArray());
    }

    [Fact]
    public void Scalars_and_empty_tensors_keep_their_shapes()
    {
        using var scalar = RoundTripThroughTorch(SafetensorsDtype.F32, [], BitConverter.GetBytes(2.5f), out var scalarBytes);
        Assert.Empty(scalar.shape);
        Assert.Equal(2.5f, scalar.item<float>());
        Assert.Equal(BitConverter.GetBytes(2.5f), scalarBytes);

        using var empty = RoundTripThroughTorch(SafetensorsDtype.BF16, [0, 4], [], out var emptyBytes);
        Assert.Equal([0L, 4L], empty.shape);
        Assert.Empty(emptyBytes);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(20)]
    public void Tensors_larger_than_one_chunk_are_copied_piece_by_piece(long chunkBytes)
    {
        // The real chunk is 1 GiB; tiny chunks, including one that is not a whole number of elements, exercise the seams.
        var bytes = Enumerable.Range(0, 44).Select(i => (byte)(i * 7 + 3)).ToArray();
        var path = WriteOne(SafetensorsDtype.F32, [11], bytes);
        using var file = SafetensorsFile.Open(path);

        using var tensor = CheckpointTensors.ToTensor(file["t"], chunkBytes);
        using var written = new MemoryStream();
        CheckpointTensors.ToSource("t", tensor, chunkBytes).WriteBytes(written);

        Assert.Equal(bytes, tensor.bytes.ToArray());
        Assert.Equal(bytes, written.ToArray());
    }

    [Fact]
    public void A_strided_tensor_is_written_in_row_major_order_and_left_untouched()
    {
        using var matrix = arange(6, dtype: ScalarType.Float32).reshape(2, 3);
        using var transposed = matrix.t();
        Assert.False(transposed.is_contiguous());

        using var written = new MemoryStream();
        var source = CheckpointTensors.ToSource("t", transposed);
        source.WriteBytes(written);

        Assert.Equal([3L, 2L], source.Shape);
        var floats = new float[6];
        Buffer.BlockCopy(written.ToArray(), 0, floats, 0, 24);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], floats);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], transposed.contiguous().data<float>().ToArray());
    }

    [Fact]
    public void A_torch_type_safetensors_cannot_hold_is_refused()
    {
        var error = Assert.Throws<NotSupportedException>(() => CheckpointTensors.ToSafetensorsDtype(ScalarType.ComplexFloat32));
        Assert.Contains("ComplexFloat32", error.Message);
    }

    [Fact]
    public void Saved_tensors_carry_the_pt_format_metadata()
    {
        using var weight = ones(2, 2, dtype: ScalarType.BFloat16);
        var files = CheckpointTensors.Save(_directory.Path, new Dictionary<string, Tensor> { ["w"] = weight });

        using var file = SafetensorsFile.Open(Assert.Single(files));
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, file.Metadata);
        Assert.Equal(SafetensorsDtype.BF16, file["w"].Dtype);
    }

    public void Dispose() => _directory.Dispose();

    private Tensor RoundTripThroughTorch(SafetensorsDtype dtype, long[] shape, byte[] bytes, out byte[] written)
    {
        var path = WriteOne(dtype, shape, bytes);
        Tensor tensor;
        using (var file = SafetensorsFile.Open(path))
        {
            tensor = CheckpointTensors.ToTensor(file["t"]);
        }

        var copy = _directory.Combine("copy.safetensors");
        SafetensorsWriter.Write(copy, [CheckpointTensors.ToSource("t", tensor)]);
        using (var file = SafetensorsFile.Open(copy))
        {
            Assert.Equal(shape, file["t"].Shape);
            Assert.Equal(dtype, file["t"].Dtype);
            written = file["t"].ReadAllBytes();
        }

        return tensor;
    }

    private string WriteOne(SafetensorsDtype dtype, long[] shape, byte[] bytes)
    {
        var path = _directory.Combine("one.safetensors");
        SafetensorsWriter.Write(path, [SafetensorsTensorSource.FromBytes("t", dtype, shape, bytes)]);
        return path;
    }
}
