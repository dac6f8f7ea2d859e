using Distill.Trainer.Models;
using Distill.Trainer.Tests.Training;
using Distill.Trainer.Training;
using Distill.Trainer.TrainingProcess;
using static TorchSharp.torch;

namespace Distill.Trainer.Tests.Models;

public sealed class LoraTests
{
    [Fact]
    public void A_fresh_adapter_changes_nothing_and_only_adapters_train()
    {
        using var scope = NewDisposeScope();
        using var model = TinyConfigs.Model(ModelFamily.Llama);
        using var noGrad = no_grad();
        var ids = randint(0, 97, [2, 6], dtype: ScalarType.Int64);
        using var before = model.Forward(ids);

        model.AddLora(new LoraOptions(Rank: 4, Alpha: 8, Dropout: 0, TargetModules: ["q_proj", "v_proj"]));
        using var after = model.Forward(ids);

        Assert.True(before.Logits.allclose(after.Logits));
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        Assert.Equal(2 * 2 * 2, trainable.Count);
        Assert.All(trainable, name => Assert.Matches(@"^model\.layers\.\d\.self_attn\.[qv]_proj\.lora_[AB]$", name));
    }

    [Theory]
    [InlineData(ModelFamily.Llama)]
    [InlineData(ModelFamily.Phi3)]
    public void Training_moves_only_the_adapters_and_the_merged_export_computes_the_same(ModelFamily family)
    {
        using var scope = NewDisposeScope();
        using var model = TinyConfigs.Model(family);
        var frozen = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        model.AddLora(new LoraOptions(Rank: 4, Alpha: 8, Dropout: 0.1));
        var data = new ToySequences(32, 10, 97, 5);
        var loop = new TrainingLoop(model, new SupervisedFineTuning(), data, data,
            new TrainingOptions { MaxSteps = 25, BatchSize = 8, LearningRate = 1e-2, MinLearningRate = 1e-3, WarmupSteps = 2, EvaluateEvery = 25 });
        var before = loop.Evaluate();

        var history = loop.Run();

        Assert.True(history[^1].ValidationLoss < before * 0.8, $"validation loss {before} -> {history[^1].ValidationLoss}");
        Assert.All(frozen, p => Assert.True(p.Value.allclose(model.named_parameters().Single(q => q.name == p.Key).parameter, rtol: 0, atol: 0), $"{p.Key} moved"));

        using var plain = new LlamaForCausalLM(model.Config);
        var exported = model.ExportWeights();
        Assert.DoesNotContain(exported.Keys, name => name.Contains("lora"));
        plain.LoadWeights(exported);
        model.eval();
        plain.eval();
        using var noGrad = no_grad();
        var ids = randint(0, 97, [2, 7], dtype: ScalarType.Int64);
        using var adapted = model.Forward(ids);
        using var merged = plain.Forward(ids);
        Assert.True(adapted.Logits.allclose(merged.Logits, rtol: 1e-4, atol: 1e-4));
    }

    [Fact]
    public void Unknown_target_modules_are_refused()
    {
        using var model = TinyConfigs.Model(ModelFamily.Qwen2);
        var error = Assert.Throws<ArgumentException>(() => model.AddLora(new LoraOptions(TargetModules: ["c_attn"])));
        Assert.Contains("c_attn", error.Message);
    }
}

public sealed class ExportTests
{
    [Fact]
    public void A_lora_student_exports_as_a_plain_hugging_face_checkpoint_that_computes_the_same()
    {
        using var directory = new Checkpoints.TemporaryDirectory();
        using var scope = NewDisposeScope();
        using var student = TinyConfigs.Model(ModelFamily.Phi3);
        student.AddLora(new LoraOptions(Rank: 2, Alpha: 4, Dropout: 0));
        using (no_grad())
        {
            foreach (var (name, parameter) in student.named_parameters().Where(p => p.name.EndsWith("lora_B")))
            {
                parameter.copy_(randn_like(parameter) * 0.1);
            }
        }

        Distill.Trainer.Checkpoints.HuggingFaceCheckpoint.Save(directory.Path, student.Config, student.ExportWeights());
        using var exported = Distill.Trainer.Checkpoints.HuggingFaceCheckpoint.Load(directory.Path);
        using var reloaded = new LlamaForCausalLM(exported.Config);
        reloaded.LoadWeights(exported.Tensors);

        using var noGrad = no_grad();
        var ids = randint(0, 97, [1, 8], dtype: ScalarType.Int64);
        using var before = student.Forward(ids);
        using var after = reloaded.Forward(ids);
        Assert.Equal(student.Config, exported.Config with { EosTokenIds = student.Config.EosTokenIds });
        Assert.True(before.Logits.allclose(after.Logits, rtol: 1e-4, atol: 1e-4));
    }
}
