using System.Diagnostics;
using System.Text.Json;
using Distill.Trainer.Checkpoints;
using Distill.Trainer.Models;
using Distill.Trainer.Tests.Checkpoints;
using static TorchSharp.torch;

namespace Distill.Trainer.Tests.Models;

/// <summary>
/// Our model against tests/reference/llama_reference.py: an independent forward pass in PyTorch (Debian's
/// python3-torch), written from Hugging Face's published semantics. Both read the same checkpoint directory.
/// </summary>
public sealed class ReferenceParityTests
{
    private const string Python = "/usr/bin/python3";
    private static readonly long[][] Tokens = [[1, 5, 9, 33, 2, 63, 17, 8, 40, 11, 0, 21], [60, 3, 3, 3, 12, 45, 7, 7, 50, 31, 19, 2]];

    public static TheoryData<string> Variants => ["llama3-rope", "llama-tied-biased", "mistral", "qwen2", "phi3", "qwen2-bf16"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Logits_match_the_pytorch_reference(string variant)
    {
        using var directory = new TemporaryDirectory();
        var (config, dtype) = Variant(variant);
        TinyCheckpoint.Write(directory.Path, config, dtype, seed: 42, spread: 0.3f);

        using var scope = NewDisposeScope();
        using var checkpoint = HuggingFaceCheckpoint.Load(directory.Path);
        using var model = new LlamaForCausalLM(checkpoint.Config);
        model.LoadWeights(checkpoint.Tensors);
        model.eval();
        using var noGrad = no_grad();
        using var ours = model.Forward(tensor(Tokens.SelectMany(t => t).ToArray(), [Tokens.Length, Tokens[0].Length]));

        var reference = RunReference(directory.Path);
        var theirs = tensor(reference, ours.Logits.shape);
        var difference = (ours.Logits - theirs).abs().max().item<float>();
        Assert.True(theirs.std().item<float>() > 0.5f, "The logits are too flat for the comparison to mean anything.");
        Assert.True(difference < 1e-4f, $"{variant}: largest logit difference {difference}");
    }

    private static (ModelConfig Config, SafetensorsDtype Dtype) Variant(string variant) => variant switch
    {
        "llama3-rope" => (TinyCheckpoint.Config(ModelFamily.Llama) with { RopeScaling = new RopeScaling(8, 1, 4, 4), RopeTheta = 500_000 }, SafetensorsDtype.F32),
        "llama-tied-biased" => (TinyCheckpoint.Config(ModelFamily.Llama) with { TieWordEmbeddings = true, AttentionBias = true }, SafetensorsDtype.F32),
        "mistral" => (TinyCheckpoint.Config(ModelFamily.Mistral), SafetensorsDtype.F32),
        "qwen2" => (TinyCheckpoint.Config(ModelFamily.Qwen2), SafetensorsDtype.F32),
        "phi3" => (TinyCheckpoint.Config(ModelFamily.Phi3), SafetensorsDtype.F32),
        "qwen2-bf16" => (TinyCheckpoint.Config(ModelFamily.Qwen2), SafetensorsDtype.BF16),
        _ => throw new ArgumentOutOfRangeException(nameof(variant)),
    };

    private static float[] RunReference(string checkpoint)
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "Distill.sln")))
        {
            repository = repository.Parent ?? throw new InvalidOperationException("The tests run outside the repository.");
        }

        var script = Path.Combine(repository.FullName, "tests", "reference", "llama_reference.py");
        var tokens = Path.Combine(checkpoint, "tokens.json");
        var output = Path.Combine(checkpoint, "reference-logits.bin");
        File.WriteAllText(tokens, JsonSerializer.Serialize(Tokens));
        var python = Process.Start(new ProcessStartInfo(Python, [script, checkpoint, tokens, output]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException($"Could not start {Python}.");
        var errors = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, $"The reference failed (Debian's python3-torch and python3-numpy are needed; eng/test.sh installs them):\n{errors}");
        var bytes = File.ReadAllBytes(output);
        var logits = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, logits, 0, bytes.Length);
        return logits;
    }
}
