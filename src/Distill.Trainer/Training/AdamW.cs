using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Trainer.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter) written out, so its state is plain named tensors that a checkpoint stores and a
/// resume restores bit for bit. Parameters kept in bf16 or fp16 get an fp32 master copy: updates accumulate in
/// fp32 and are rounded into the model's dtype after each step.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly List<Slot> _slots;

    public AdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, double beta1 = 0.9, double beta2 = 0.95, double eps = 1e-8, double weightDecay = 0.1)
    {
        (Beta1, Beta2, Eps, WeightDecay) = (beta1, beta2, eps, weightDecay);
        _slots = parameters.Where(p => p.Parameter.requires_grad).Select(p => new Slot(p.Name, p.Parameter)).ToList();
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Eps { get; }

    public double WeightDecay { get; }

    /// <summary>Optimizer steps taken; bias correction depends on it.</summary>
    public long Steps { get; private set; }

    public void Step(double learningRate)
    {
        using var noGrad = no_grad();
        Steps++;
        var correction1 = 1 - Math.Pow(Beta1, Steps);
        var correction2 = 1 - Math.Pow(Beta2, Steps);
        foreach (var slot in _slots)
        {
            using var scope = NewDisposeScope();
            if (slot.Parameter.grad is not { } gradient)
            {
                continue;
            }

            var g = gradient.to(ScalarType.Float32);
            // Decoupled weight decay, on matrices only: norms, biases and other vectors are not shrunk (as nanoGPT).
            if (WeightDecay > 0 && slot.Parameter.dim() >= 2)
            {
                slot.Master.mul_(1 - learningRate * WeightDecay);
            }

            slot.FirstMoment.mul_(Beta1).add_(g, alpha: 1 - Beta1);
            slot.SecondMoment.mul_(Beta2).addcmul_(g, g, value: 1 - Beta2);
            var denominator = (slot.SecondMoment / correction2).sqrt_().add_(Eps);
            slot.Master.addcdiv_(slot.FirstMoment, denominator, value: -learningRate / correction1);
            if (!ReferenceEquals(slot.Master, slot.Parameter))
            {
                slot.Parameter.copy_(slot.Master);
            }
        }
    }

    public void ZeroGrad()
    {
        foreach (var slot in _slots)
        {
            slot.Parameter.grad?.zero_();
        }
    }

    /// <summary>Every tensor of the optimizer's state by name, for a checkpoint.</summary>
    public Dictionary<string, Tensor> State()
    {
        var state = new Dictionary<string, Tensor>();
        foreach (var slot in _slots)
        {
            state[$"{slot.Name}.exp_avg"] = slot.FirstMoment;
            state[$"{slot.Name}.exp_avg_sq"] = slot.SecondMoment;
            if (!ReferenceEquals(slot.Master, slot.Parameter))
            {
                state[$"{slot.Name}.master"] = slot.Master;
            }
        }

        return state;
    }

    public void Load(IReadOnlyDictionary<string, Tensor> state, long steps)
    {
        using var noGrad = no_grad();
        foreach (var slot in _slots)
        {
            slot.FirstMoment.copy_(Required(state, $"{slot.Name}.exp_avg"));
            slot.SecondMoment.copy_(Required(state, $"{slot.Name}.exp_avg_sq"));
            if (!ReferenceEquals(slot.Master, slot.Parameter))
            {
                slot.Master.copy_(Required(state, $"{slot.Name}.master"));
            }
        }

        Steps = steps;
    }

    public void Dispose()
    {
        foreach (var slot in _slots)
        {
            slot.Dispose();
        }
    }

    private static Tensor Required(IReadOnlyDictionary<string, Tensor> state, string name) =>
        state.TryGetValue(name, out var tensor) ? tensor : throw new InvalidDataException($"The optimizer state has no {name}: it belongs to another model.");

    private sealed class Slot : IDisposable
    {
        public Slot(string name, Parameter parameter)
        {
            Name = name;
            Parameter = parameter;
            using var noGrad = no_grad();
            Master = parameter.dtype == ScalarType.Float32 ? parameter : parameter.detach().to(ScalarType.Float32);
            FirstMoment = zeros_like(Master);
            SecondMoment = zeros_like(Master);
        }

        public string Name { get; }

        public Parameter Parameter { get; }

        public Tensor Master { get; }

        public Tensor FirstMoment { get; }

        public Tensor SecondMoment { get; }

        public void Dispose()
        {
            FirstMoment.Dispose();
            SecondMoment.Dispose();
            if (!ReferenceEquals(Master, Parameter))
            {
                Master.Dispose();
            }
        }
    }
}
