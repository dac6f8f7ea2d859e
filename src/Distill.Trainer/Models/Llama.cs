using Distill.Trainer.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Trainer.Models;

// The Llama block as Hugging Face's transformers computes it (Llama 2/3, Mistral, Qwen2, Phi-3 and the small
// models built on them). Submodules are registered under Hugging Face's names, so a checkpoint's tensor
// "model.layers.0.self_attn.q_proj.weight" is this model's parameter of the same name.

/// <summary>RMSNorm: x / sqrt(mean(x^2) + eps) * weight, computed in float32 whatever the model's dtype.</summary>
public sealed class RmsNorm : nn.Module
{
    private readonly double _eps;

    public RmsNorm(int size, double eps) : base(nameof(RmsNorm))
    {
        _eps = eps;
        register_parameter("weight", nn.Parameter(ones(size)));
    }

    /// <summary>Read from the registry each time: <c>to(dtype)</c> replaces parameters, and a kept reference would be disposed.</summary>
    public Parameter Weight => get_parameter("weight") ?? throw new InvalidOperationException("The weight is not registered.");

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var x32 = x.to(ScalarType.Float32);
        var normalized = x32 * rsqrt(x32.pow(2).mean([-1], keepdim: true) + _eps);
        return (Weight * normalized.to(x.dtype)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Rotary position embedding with Hugging Face's rotate_half convention: the first and second halves of each
/// head are the two coordinates of each rotated pair (not interleaved pairs as in the original paper).
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly Tensor _inverseFrequencies;

    public RotaryEmbedding(ModelConfig config)
    {
        var exponents = arange(0, config.HeadDim, 2, ScalarType.Float64) / config.HeadDim;
        var inverse = 1.0 / pow(config.RopeTheta, exponents);
        _inverseFrequencies = (config.RopeScaling is { } scaling ? ScaleLikeLlama3(inverse, scaling) : inverse).to(ScalarType.Float32);
    }

    /// <summary>cos and sin for each position, shaped [batch, 1, seq, headDim] to broadcast over heads.</summary>
    public (Tensor Cos, Tensor Sin) At(Tensor positions, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var angles = positions.to(ScalarType.Float32).unsqueeze(-1) * _inverseFrequencies.to(positions.device);
        var doubled = cat([angles, angles], dim: -1).unsqueeze(1);
        return (doubled.cos().to(dtype).MoveToOuterDisposeScope(), doubled.sin().to(dtype).MoveToOuterDisposeScope());
    }

    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var rotated = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], dim: -1);
        return (x * cos + rotated * sin).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Llama 3.1's long-context scaling: low frequencies (long wavelengths) are slowed by the factor, high ones
    /// kept, and the band between interpolated smoothly.
    /// </summary>
    private static Tensor ScaleLikeLlama3(Tensor inverse, RopeScaling scaling)
    {
        var lowFrequencyWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.LowFrequencyFactor;
        var highFrequencyWavelength = scaling.OriginalMaxPositionEmbeddings / scaling.HighFrequencyFactor;
        var wavelength = 2 * Math.PI / inverse;
        var scaled = where(wavelength > lowFrequencyWavelength, inverse / scaling.Factor, inverse);
        var smooth = (scaling.OriginalMaxPositionEmbeddings / wavelength - scaling.LowFrequencyFactor)
            / (scaling.HighFrequencyFactor - scaling.LowFrequencyFactor);
        var smoothed = (1 - smooth) * scaled / scaling.Factor + smooth * scaled;
        var medium = (wavelength >= highFrequencyWavelength).logical_and(wavelength <= lowFrequencyWavelength);
        return where(medium, smoothed, scaled);
    }
}

/// <summary>Keys and values of past positions, preallocated so that each decoding step writes in place.</summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    public KvCache(ModelConfig config, long batch, long capacity, ScalarType dtype, Device device)
    {
        _keys = new Tensor[config.NumLayers];
        _values = new Tensor[config.NumLayers];
        for (var layer = 0; layer < config.NumLayers; layer++)
        {
            _keys[layer] = zeros([batch, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device);
            _values[layer] = zeros([batch, config.NumKeyValueHeads, capacity, config.HeadDim], dtype, device);
        }

        Capacity = capacity;
    }

    public long Capacity { get; }

    /// <summary>How many positions are cached; the model advances it once all layers have written a step.</summary>
    public long Length { get; private set; }

    /// <summary>Writes the new positions of <paramref name="layer"/> and returns every cached position so far.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var length = keys.shape[2];
        if (Length + length > Capacity)
        {
            throw new InvalidOperationException($"The KV cache holds {Capacity} positions; {Length + length} were asked for.");
        }

        _keys[layer].narrow(2, Length, length).copy_(keys);
        _values[layer].narrow(2, Length, length).copy_(values);
        return (_keys[layer].narrow(2, 0, Length + length), _values[layer].narrow(2, 0, Length + length));
    }

    public void Advance(long positions) => Length += positions;

    public void Dispose()
    {
        foreach (var tensor in _keys.Concat(_values))
        {
            tensor.Dispose();
        }
    }
}

/// <summary>Grouped-query self-attention: NumHeads query heads share NumKeyValueHeads key/value heads.</summary>
public sealed class Attention : nn.Module
{
    private readonly ModelConfig _config;
    private readonly Projection? _qkv;
    private readonly Projection? _query;
    private readonly Projection? _key;
    private readonly Projection? _value;
    private readonly Projection _output;

    public Attention(ModelConfig config) : base(nameof(Attention))
    {
        _config = config;
        var queryWidth = config.NumHeads * config.HeadDim;
        var keyValueWidth = config.NumKeyValueHeads * config.HeadDim;
        if (config.FusedProjections)
        {
            _qkv = Register("qkv_proj", new Projection(config.HiddenSize, queryWidth + 2 * keyValueWidth, config.AttentionBias));
        }
        else
        {
            _query = Register("q_proj", new Projection(config.HiddenSize, queryWidth, config.AttentionBias));
            _key = Register("k_proj", new Projection(config.HiddenSize, keyValueWidth, config.AttentionBias));
            _value = Register("v_proj", new Projection(config.HiddenSize, keyValueWidth, config.AttentionBias));
        }

        _output = Register("o_proj", new Projection(queryWidth, config.HiddenSize, LlamaWeightNames.HasOutputProjectionBias(config)));
    }

    /// <param name="x">[batch, seq, hidden]</param>
    /// <param name="mask">Additive mask [batch, 1, seq, keys], or null for plain causal attention.</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int layer)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (x.shape[0], x.shape[1]);
        var (q, k, v) = Project(x);
        q = RotaryEmbedding.Apply(Heads(q, _config.NumHeads, batch, length), cos, sin);
        k = RotaryEmbedding.Apply(Heads(k, _config.NumKeyValueHeads, batch, length), cos, sin);
        v = Heads(v, _config.NumKeyValueHeads, batch, length);
        if (cache is not null)
        {
            (k, v) = cache.Append(layer, k, v);
        }

        // Each key/value head serves NumHeads / NumKeyValueHeads consecutive query heads.
        var groups = _config.NumHeads / _config.NumKeyValueHeads;
        if (groups > 1)
        {
            k = k.repeat_interleave(groups, dim: 1);
            v = v.repeat_interleave(groups, dim: 1);
        }

        var attended = mask is null
            ? F.scaled_dot_product_attention(q, k, v, is_casual: length > 1)
            : F.scaled_dot_product_attention(q, k, v, attn_mask: mask);
        var merged = attended.transpose(1, 2).reshape(batch, length, _config.NumHeads * _config.HeadDim);
        return _output.Forward(merged).MoveToOuterDisposeScope();
    }

    private (Tensor Query, Tensor Key, Tensor Value) Project(Tensor x)
    {
        if (_qkv is null)
        {
            return (_query!.Forward(x), _key!.Forward(x), _value!.Forward(x));
        }

        var queryWidth = _config.NumHeads * _config.HeadDim;
        var keyValueWidth = _config.NumKeyValueHeads * _config.HeadDim;
        var qkv = _qkv.Forward(x);
        return (qkv.narrow(-1, 0, queryWidth), qkv.narrow(-1, queryWidth, keyValueWidth), qkv.narrow(-1, queryWidth + keyValueWidth, keyValueWidth));
    }

    /// <summary>[batch, seq, heads * headDim] to [batch, heads, seq, headDim].</summary>
    private Tensor Heads(Tensor x, int heads, long batch, long length) =>
        x.view(batch, length, heads, _config.HeadDim).transpose(1, 2);

    private T Register<T>(string name, T module) where T : nn.Module
    {
        register_module(name, module);
        return module;
    }
}

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) * up(x)).</summary>
public sealed class FeedForward : nn.Module
{
    private readonly Projection? _gateUp;
    private readonly Projection? _gate;
    private readonly Projection? _up;
    private readonly Projection _down;

    public FeedForward(ModelConfig config) : base(nameof(FeedForward))
    {
        if (config.FusedProjections)
        {
            _gateUp = new Projection(config.HiddenSize, 2 * config.IntermediateSize, bias: false);
            register_module("gate_up_proj", _gateUp);
        }
        else
        {
            _gate = new Projection(config.HiddenSize, config.IntermediateSize, bias: false);
            _up = new Projection(config.HiddenSize, config.IntermediateSize, bias: false);
            register_module("gate_proj", _gate);
            register_module("up_proj", _up);
        }

        _down = new Projection(config.IntermediateSize, config.HiddenSize, bias: false);
        register_module("down_proj", _down);
    }

    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor gate, up;
        if (_gateUp is not null)
        {
            var both = _gateUp.Forward(x).chunk(2, dim: -1);
            (gate, up) = (both[0], both[1]);
        }
        else
        {
            (gate, up) = (_gate!.Forward(x), _up!.Forward(x));
        }

        return _down.Forward(F.silu(gate) * up).MoveToOuterDisposeScope();
    }
}

/// <summary>One pre-norm transformer block: x + attention(norm(x)), then + feedForward(norm(x)).</summary>
public sealed class DecoderLayer : nn.Module
{
    private readonly int _index;

    public DecoderLayer(ModelConfig config, int index) : base(nameof(DecoderLayer))
    {
        _index = index;
        SelfAttention = new Attention(config);
        Mlp = new FeedForward(config);
        InputNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        PostAttentionNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        register_module("self_attn", SelfAttention);
        register_module("mlp", Mlp);
        register_module("input_layernorm", InputNorm);
        register_module("post_attention_layernorm", PostAttentionNorm);
    }

    public Attention SelfAttention { get; }

    public FeedForward Mlp { get; }

    public RmsNorm InputNorm { get; }

    public RmsNorm PostAttentionNorm { get; }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache)
    {
        using var scope = NewDisposeScope();
        var attended = x + SelfAttention.Forward(InputNorm.Forward(x), cos, sin, mask, cache, _index);
        return (attended + Mlp.Forward(PostAttentionNorm.Forward(attended))).MoveToOuterDisposeScope();
    }
}

/// <summary>What a forward pass returns: next-token logits, and each layer's output when asked for.</summary>
public sealed record CausalLmOutput(Tensor Logits, IReadOnlyList<Tensor> HiddenStates) : IDisposable
{
    public void Dispose()
    {
        Logits.Dispose();
        foreach (var hidden in HiddenStates)
        {
            hidden.Dispose();
        }
    }
}

/// <summary>The decoder stack with its embeddings and final norm (Hugging Face's "model.").</summary>
public sealed class LlamaBackbone : nn.Module
{
    public LlamaBackbone(ModelConfig config) : base(nameof(LlamaBackbone))
    {
        Embeddings = nn.Embedding(config.VocabSize, config.HiddenSize);
        Layers = nn.ModuleList(Enumerable.Range(0, config.NumLayers).Select(i => new DecoderLayer(config, i)).ToArray());
        Norm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        register_module("embed_tokens", Embeddings);
        register_module("layers", Layers);
        register_module("norm", Norm);
    }

    public Embedding Embeddings { get; }

    public ModuleList<DecoderLayer> Layers { get; }

    public RmsNorm Norm { get; }
}

/// <summary>A Llama-family causal language model.</summary>
public sealed class LlamaForCausalLM : nn.Module
{
    private readonly Linear? _head;
    private readonly RotaryEmbedding _rotary;

    public LlamaForCausalLM(ModelConfig config) : base(nameof(LlamaForCausalLM))
    {
        Config = config;
        Backbone = new LlamaBackbone(config);
        register_module("model", Backbone);
        if (!config.TieWordEmbeddings)
        {
            _head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
            register_module("lm_head", _head);
        }

        _rotary = new RotaryEmbedding(config);
    }

    public ModelConfig Config { get; }

    public LlamaBackbone Backbone { get; }

    /// <param name="inputIds">[batch, seq] token ids.</param>
    /// <param name="attentionMask">[batch, pastAndSeq], 1 for real tokens and 0 for padding; null when nothing is padded.</param>
    /// <param name="cache">Past keys and values; this call appends to it.</param>
    /// <param name="outputHiddenStates">Also return each layer's output (for hidden-state distillation).</param>
    public CausalLmOutput Forward(Tensor inputIds, Tensor? attentionMask = null, KvCache? cache = null, bool outputHiddenStates = false)
    {
        using var scope = NewDisposeScope();
        var (batch, length) = (inputIds.shape[0], inputIds.shape[1]);
        var past = cache?.Length ?? 0;
        var x = Backbone.Embeddings.forward(inputIds);
        var positions = Positions(attentionMask, batch, past, length, inputIds.device);
        var (cos, sin) = _rotary.At(positions, x.dtype);
        var mask = AttentionMask(attentionMask, past, length, x.dtype, inputIds.device);

        var hidden = new List<Tensor>();
        foreach (var layer in Backbone.Layers)
        {
            x = layer.Forward(x, cos, sin, mask, cache);
            if (outputHiddenStates)
            {
                hidden.Add(x);
            }
        }

        cache?.Advance(length);
        x = Backbone.Norm.Forward(x);
        var logits = _head is null ? F.linear(x, Backbone.Embeddings.weight!) : _head.forward(x);
        foreach (var tensor in hidden)
        {
            tensor.MoveToOuterDisposeScope();
        }

        return new CausalLmOutput(logits.MoveToOuterDisposeScope(), hidden);
    }

    /// <summary>Positions count real tokens only, so a left-padded sequence starts at 0 like an unpadded one.</summary>
    private static Tensor Positions(Tensor? attentionMask, long batch, long past, long length, Device device)
    {
        if (attentionMask is null)
        {
            return arange(past, past + length, ScalarType.Int64, device).unsqueeze(0).expand(batch, length);
        }

        var counted = attentionMask.to(ScalarType.Int64).cumsum(1) - 1;
        return counted.clamp_min(0).narrow(1, past, length);
    }

    /// <summary>
    /// Null when scaled_dot_product_attention's own causal mask is right (no padding, no past). Otherwise an
    /// additive mask: query i (at absolute position past + i) may see key j when j &lt;= past + i and j is not padding.
    /// </summary>
    private static Tensor? AttentionMask(Tensor? attentionMask, long past, long length, ScalarType dtype, Device device)
    {
        if (attentionMask is null && past == 0)
        {
            return null;
        }

        var keys = past + length;
        var queryPositions = arange(past, keys, ScalarType.Int64, device).unsqueeze(1);
        var allowed = arange(0, keys, ScalarType.Int64, device).unsqueeze(0) <= queryPositions;
        var visible = allowed.unsqueeze(0).unsqueeze(0);
        if (attentionMask is not null)
        {
            visible = visible.logical_and(attentionMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1));
        }

        // The dtype's lowest finite value, not -inf: a fully padded row then averages values instead of giving NaN.
        var blocked = dtype == ScalarType.Float32 ? float.MinValue : (double)finfo(dtype).min;
        return zeros(visible.shape, dtype, device).masked_fill(visible.logical_not(), blocked);
    }

    /// <summary>
    /// Freezes every weight and adds LoRA adapters to the projections named in <paramref name="options"/>: only the
    /// adapters train.
    /// </summary>
    public void AddLora(LoraOptions options)
    {
        foreach (var (_, parameter) in named_parameters())
        {
            parameter.requires_grad = false;
        }

        var adapted = Projections().Where(p => options.Targets.Contains(p.Name.Split('.')[^1])).ToList();
        if (adapted.Count == 0)
        {
            throw new ArgumentException($"No projection of this {Config.Family} model is named {string.Join(", ", options.Targets)}.", nameof(options));
        }

        foreach (var (_, projection) in adapted)
        {
            projection.AddLora(options);
        }
    }

    /// <summary>The model's weights under Hugging Face's names, with any LoRA adapter folded into its weight.</summary>
    public Dictionary<string, Tensor> ExportWeights()
    {
        var projections = Projections().ToDictionary(p => p.Name + ".weight", p => p.Projection);
        return named_parameters()
            .Where(p => !p.name.EndsWith(".lora_A") && !p.name.EndsWith(".lora_B"))
            .ToDictionary(p => p.name, p => projections.TryGetValue(p.name, out var projection) ? projection.MergedWeight() : p.parameter.detach().clone());
    }

    /// <summary>
    /// Every projection under its Hugging Face name. TorchSharp also lists each submodule under the name of the
    /// field holding it; those entries are left out.
    /// </summary>
    private IEnumerable<(string Name, Projection Projection)> Projections() =>
        named_modules()
            .Where(m => m.module is Projection && !m.name.Split('.').Any(part => part.StartsWith('_') || part.StartsWith('<')))
            .Select(m => (m.name, (Projection)m.module));

    /// <summary>Copies <paramref name="weights"/> into the parameters of the same names; every name must match exactly.</summary>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> weights)
    {
        var parameters = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var missing = parameters.Keys.Where(name => !weights.ContainsKey(name)).ToList();
        var unexpected = weights.Keys.Where(name => !parameters.ContainsKey(name)).ToList();
        var misshapen = parameters.Where(p => weights.TryGetValue(p.Key, out var w) && !w.shape.SequenceEqual(p.Value.shape))
            .Select(p => $"{p.Key} is [{string.Join(", ", weights[p.Key].shape)}], expected [{string.Join(", ", p.Value.shape)}]")
            .ToList();
        if (missing.Count + unexpected.Count + misshapen.Count > 0)
        {
            throw new InvalidDataException(
                $"The weights do not fit a {Config.Family} model of this config: " +
                string.Join("; ", new[]
                {
                    missing.Count > 0 ? $"missing {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? $" and {missing.Count - 5} more" : "")}" : null,
                    unexpected.Count > 0 ? $"unexpected {string.Join(", ", unexpected.Take(5))}{(unexpected.Count > 5 ? $" and {unexpected.Count - 5} more" : "")}" : null,
                    misshapen.Count > 0 ? string.Join(", ", misshapen.Take(5)) : null,
                }.Where(s => s is not null)) + ".");
        }

        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            parameter.copy_(weights[name]);
        }
    }
}
