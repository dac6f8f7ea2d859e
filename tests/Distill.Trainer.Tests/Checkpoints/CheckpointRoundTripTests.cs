using Distill.Trainer.Checkpoints;
using Distill.Trainer.Models;
using TorchSharp;

namespace Distill.Trainer.Tests.Checkpoints;

/// <summary>A checkpoint read into TorchSharp and written back is the same checkpoint, to the byte.</summary>
public sealed class CheckpointRoundTripTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public static TheoryData<ModelFamily, SafetensorsDtype> FamiliesAndDtypes()
    {
        var data = new TheoryData<ModelFamily, SafetensorsDtype>();
        foreach (var family in Enum.GetValues<ModelFamily>())
        {
            foreach (var dtype in new[] { SafetensorsDtype.F32, SafetensorsDtype.F16, SafetensorsDtype.BF16 })
            {
                data.Add(family, dtype);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FamiliesAndDtypes))]
    public void A_checkpoint_survives_reader_torch_writer_reader_unchanged(ModelFamily family, SafetensorsDtype dtype)
    {
        var original = _directory.Combine("original");
        var copy = _directory.Combine("copy");
        var config = TinyCheckpoint.Write(original, family, dtype, seed: 11);

        using (var loaded = HuggingFaceCheckpoint.Load(original))
        {
            ModelConfigAssert.Same(config, loaded.Config);
            Assert.Equal(LlamaWeightNames.Expected(config).Select(e => e.Name).Order(), loaded.Tensors.Keys.Order());
            Assert.All(loaded.Tensors.Values, t => Assert.Equal(CheckpointTensors.ToScalarType(dtype), t.dtype));
            HuggingFaceCheckpoint.Save(copy, loaded.Config, loaded.Tensors);
        }

        using (var before = SafetensorsFile.Open(Path.Combine(original, Safetensors.SingleFileName)))
        using (var after = SafetensorsFile.Open(Path.Combine(copy, Safetensors.SingleFileName)))
        {
            Assert.Equal(Header(before), Header(after));
            Assert.Equal(before.Tensors.Select(t => t.ToString()), after.Tensors.Select(t => t.ToString()));
            foreach (var tensor in before.Tensors)
            {
                Assert.Equal(tensor.ReadAllBytes(), after[tensor.Name].ReadAllBytes());
            }
        }

        Assert.Equal(File.ReadAllBytes(Path.Combine(original, Safetensors.SingleFileName)), File.ReadAllBytes(Path.Combine(copy, Safetensors.SingleFileName)));
        Assert.Equal(File.ReadAllText(Path.Combine(original, "config.json")), File.ReadAllText(Path.Combine(copy, "config.json")));
    }

    [Fact]
    public void The_tiny_checkpoint_is_seeded()
    {
        TinyCheckpoint.Write(_directory.Combine("a"), ModelFamily.Llama, SafetensorsDtype.BF16, seed: 3);
        TinyCheckpoint.Write(_directory.Combine("b"), ModelFamily.Llama, SafetensorsDtype.BF16, seed: 3);
        TinyCheckpoint.Write(_directory.Combine("c"), ModelFamily.Llama, SafetensorsDtype.BF16, seed: 4);

        var a = File.ReadAllBytes(_directory.Combine("a", Safetensors.SingleFileName));
        Assert.Equal(a, File.ReadAllBytes(_directory.Combine("b", Safetensors.SingleFileName)));
        Assert.NotEqual(a, File.ReadAllBytes(_directory.Combine("c", Safetensors.SingleFileName)));
    }

    [Fact]
    public void A_tied_llama3_checkpoint_loads_without_an_output_head()
    {
        var config = TinyCheckpoint.Config(ModelFamily.Llama) with
        {
            TieWordEmbeddings = true,
            RopeTheta = 500000,
            RopeScaling = new RopeScaling(8, 1, 4, 64),
            EosTokenIds = [2, 3],
        };
        TinyCheckpoint.Write(_directory.Path, config, SafetensorsDtype.BF16);

        using var loaded = HuggingFaceCheckpoint.Load(_directory.Path);

        ModelConfigAssert.Same(config, loaded.Config);
        Assert.DoesNotContain(LlamaWeightNames.LmHead, loaded.Tensors.Keys);
        Assert.Equal([64L, 32L], loaded.Tensors[LlamaWeightNames.EmbedTokens].shape);
    }

    [Fact]
    public void Loading_checks_names_and_shapes_before_reading_any_weights()
    {
        var config = TinyCheckpoint.Write(_directory.Path, ModelFamily.Mistral);
        ModelConfigWriter.Write(config with { NumLayers = 3 }, _directory.Combine("config.json"));

        var error = Assert.Throws<CheckpointFormatException>(() => HuggingFaceCheckpoint.Load(_directory.Path));

        Assert.Equal(_directory.Path, error.Path);
        Assert.Contains("missing model.layers.2.input_layernorm.weight", error.Message);
    }

    [Fact]
    public void Saving_refuses_tensors_that_do_not_match_the_config()
    {
        var config = TinyCheckpoint.Config(ModelFamily.Llama);
        using var embed = torch.zeros(64, 32);

        var error = Assert.Throws<CheckpointFormatException>(() =>
            HuggingFaceCheckpoint.Save(_directory.Combine("out"), config, new Dictionary<string, torch.Tensor> { [LlamaWeightNames.EmbedTokens] = embed }));

        Assert.Contains("missing model.layers.0.input_layernorm.weight", error.Message);
        Assert.False(Directory.Exists(_directory.Combine("out")));
    }

    [Fact]
    public void Old_rotary_frequency_buffers_are_accepted_and_left_behind()
    {
        var config = TinyCheckpoint.Write(_directory.Path, ModelFamily.Llama);
        using (var weights = SafetensorsCheckpoint.Open(_directory.Path))
        {
            var withBuffer = weights.Tensors.Select(SafetensorsTensorSource.From)
                .Append(SafetensorsTensorSource.FromBytes("model.layers.0.self_attn.rotary_emb.inv_freq", SafetensorsDtype.F32, [4], new byte[16]))
                .ToList();
            SafetensorsCheckpointWriter.Write(_directory.Combine("with-buffer"), withBuffer, Safetensors.TorchMetadata);
        }

        File.Copy(_directory.Combine("config.json"), _directory.Combine("with-buffer", "config.json"));
        using var loaded = HuggingFaceCheckpoint.Load(_directory.Combine("with-buffer"));

        ModelConfigAssert.Same(config, loaded.Config);
        Assert.DoesNotContain(loaded.Tensors.Keys, k => k.Contains("inv_freq", StringComparison.Ordinal));
    }

    public void Dispose() => _directory.Dispose();

    private static byte[] Header(SafetensorsFile file)
    {
        var header = new byte[file.DataStart];
        using var stream = File.OpenRead(file.Path);
        stream.ReadExactly(header);
        return header;
    }
}
