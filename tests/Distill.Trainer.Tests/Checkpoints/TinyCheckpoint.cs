using System.Buffers.Binary;
using Distill.Trainer.Checkpoints;
using Distill.Trainer.Models;

namespace Distill.Trainer.Tests.Checkpoints;

/// <summary>
/// Writes a tiny Hugging Face checkpoint directory (config.json and model.safetensors) of any supported family, with
/// seeded random weights under the right names and shapes. The weight bytes are made here, without TorchSharp, so
/// tests of the TorchSharp conversion compare against something it did not produce.
/// <code>
/// using var directory = new TemporaryDirectory();
/// var config = TinyCheckpoint.Write(directory.Path, ModelFamily.Qwen2, SafetensorsDtype.BF16);
/// using var checkpoint = HuggingFaceCheckpoint.Load(directory.Path);
/// </code>
/// </summary>
public static class TinyCheckpoint
{
    /// <summary>Vocabulary 64, hidden 32, 2 layers, 4 heads over 2 key/value heads (GQA), MLP 48.</summary>
    public static ModelConfig Config(ModelFamily family) => new()
    {
        Family = family,
        VocabSize = 64,
        HiddenSize = 32,
        IntermediateSize = 48,
        NumLayers = 2,
        NumHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 8,
        MaxPositionEmbeddings = 128,
        RmsNormEps = 1e-5,
        RopeTheta = 10000,
        AttentionBias = family == ModelFamily.Qwen2,
        FusedProjections = family == ModelFamily.Phi3,
        BosTokenId = 1,
        EosTokenIds = [2],
    };

    public static ModelConfig Write(string directory, ModelFamily family, SafetensorsDtype dtype = SafetensorsDtype.F32, int seed = 0, float spread = 0.02f) =>
        Write(directory, Config(family), dtype, seed, spread);

    /// <summary>Writes a checkpoint for any config, e.g. <c>Config(family) with { TieWordEmbeddings = true }</c>.</summary>
    /// <returns><paramref name="config"/>, as written to config.json.</returns>
    /// <param name="spread">Standard deviation of the non-norm weights; larger than an initialised model's to make outputs decisive.</param>
    public static ModelConfig Write(string directory, ModelConfig config, SafetensorsDtype dtype = SafetensorsDtype.F32, int seed = 0, float spread = 0.02f)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        var tensors = LlamaWeightNames.Expected(config)
            .Select(e => SafetensorsTensorSource.FromBytes(e.Name, dtype, e.Shape, RandomBytes(random, IsNorm(e.Name), e.Shape, dtype, spread)))
            .ToList();
        SafetensorsCheckpointWriter.Write(directory, tensors, Safetensors.TorchMetadata);
        ModelConfigWriter.Write(config, Path.Combine(directory, ModelConfigReader.FileName), TorchDtype(dtype));
        return config;
    }

    /// <summary>Hugging Face's <c>torch_dtype</c> for the floating dtypes a checkpoint is saved in.</summary>
    public static string TorchDtype(SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F32 => "float32",
        SafetensorsDtype.F16 => "float16",
        SafetensorsDtype.BF16 => "bfloat16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Checkpoints are saved in F32, F16 or BF16."),
    };

    private static bool IsNorm(string name) => name.EndsWith("norm.weight", StringComparison.Ordinal);

    /// <summary>Norm gains near 1 and other weights near 0 with the spread of a freshly initialised model.</summary>
    private static byte[] RandomBytes(Random random, bool norm, long[] shape, SafetensorsDtype dtype, float spread)
    {
        var count = shape.Aggregate(1L, (n, d) => n * d);
        var size = dtype.ElementSize();
        var bytes = new byte[count * size];
        for (var i = 0; i < count; i++)
        {
            var value = norm ? 1 + 0.1f * Gaussian(random) : spread * Gaussian(random);
            var element = bytes.AsSpan(i * size, size);
            switch (dtype)
            {
                case SafetensorsDtype.F32:
                    BinaryPrimitives.WriteSingleLittleEndian(element, value);
                    break;
                case SafetensorsDtype.F16:
                    BinaryPrimitives.WriteHalfLittleEndian(element, (Half)value);
                    break;
                case SafetensorsDtype.BF16:
                    BinaryPrimitives.WriteUInt16LittleEndian(element, ToBFloat16(value));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Weights are F32, F16 or BF16.");
            }
        }

        return bytes;
    }

    /// <summary>bfloat16 is float32's upper half; round to nearest even, as torch does.</summary>
    private static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    private static float Gaussian(Random random)
    {
        // Box-Muller; 1 - NextDouble() keeps the logarithm away from zero.
        var radius = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble()));
        return (float)(radius * Math.Cos(2 * Math.PI * random.NextDouble()));
    }
}
