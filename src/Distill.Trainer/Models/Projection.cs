using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Trainer.Models;

/// <summary>Low-rank adaptation settings (Hu et al. 2021): W x + (alpha / rank) * B A dropout(x), with W frozen.</summary>
public sealed record LoraOptions(int Rank = 8, double Alpha = 16, double Dropout = 0.05, IReadOnlyList<string>? TargetModules = null)
{
    /// <summary>Every projection of attention and feed-forward when no targets are named.</summary>
    public static readonly IReadOnlyList<string> AllLinear = ["q_proj", "k_proj", "v_proj", "o_proj", "qkv_proj", "gate_proj", "up_proj", "down_proj", "gate_up_proj"];

    public double Scale => Alpha / Rank;

    public IReadOnlyList<string> Targets => TargetModules ?? AllLinear;
}

/// <summary>
/// A linear projection (y = x W^T + b) that can carry a LoRA adapter. Its parameters keep Hugging Face's names
/// ("weight", "bias"); the adapter adds "lora_A" [rank, in] and "lora_B" [out, rank].
/// </summary>
public sealed class Projection : nn.Module
{
    private Dropout? _loraDropout;
    private double _loraScale;

    public Projection(long inputs, long outputs, bool bias) : base(nameof(Projection))
    {
        // nn.Linear's initialisation, so an untrained model behaves like one made of nn.Linear.
        using var init = nn.Linear(inputs, outputs, hasBias: bias);
        register_parameter("weight", nn.Parameter(init.weight!.detach().clone()));
        if (bias)
        {
            register_parameter("bias", nn.Parameter(init.bias!.detach().clone()));
        }
    }

    // Parameters are read from the registry each time: to(dtype) replaces them, and a kept reference would be disposed.
    public Parameter Weight => get_parameter("weight") ?? throw new InvalidOperationException("The weight is not registered.");

    public Parameter? Bias => Registered("bias");

    public Parameter? LoraA => Registered("lora_A");

    public Parameter? LoraB => Registered("lora_B");

    public Tensor Forward(Tensor x)
    {
        var y = F.linear(x, Weight, Bias);
        if (LoraA is null)
        {
            return y;
        }

        using var scope = NewDisposeScope();
        var adapted = F.linear(F.linear(_loraDropout!.forward(x), LoraA), LoraB!) * _loraScale;
        return (y + adapted).MoveToOuterDisposeScope();
    }

    /// <summary>Freezes W and b and adds a trainable adapter whose B starts at zero, so the output is unchanged at first.</summary>
    public void AddLora(LoraOptions options)
    {
        Weight.requires_grad = false;
        if (Bias is not null)
        {
            Bias.requires_grad = false;
        }

        var a = empty(options.Rank, Weight.shape[1], Weight.dtype, Weight.device);
        nn.init.kaiming_uniform_(a, a: Math.Sqrt(5));
        register_parameter("lora_A", nn.Parameter(a));
        register_parameter("lora_B", nn.Parameter(zeros(Weight.shape[0], options.Rank, Weight.dtype, Weight.device)));
        _loraDropout = nn.Dropout(options.Dropout);
        register_module("lora_dropout", _loraDropout);
        _loraScale = options.Scale;
    }

    private Parameter? Registered(string name) => named_parameters(recurse: false).FirstOrDefault(p => p.name == name).parameter;

    /// <summary>W + (alpha / rank) B A: the weight a plain linear layer needs to compute what this one computes.</summary>
    public Tensor MergedWeight()
    {
        using var noGrad = no_grad();
        return LoraA is null
            ? Weight.detach().clone()
            : (Weight.to(ScalarType.Float32) + LoraB!.to(ScalarType.Float32).matmul(LoraA.to(ScalarType.Float32)) * _loraScale).to(Weight.dtype);
    }
}
