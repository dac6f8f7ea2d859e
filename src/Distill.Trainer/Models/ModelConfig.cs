namespace Distill.Trainer.Models;

/// <summary>The Llama-block families Distill reads; they differ only in the details recorded on <see cref="ModelConfig"/>.</summary>
public enum ModelFamily
{
    Llama,
    Mistral,
    Qwen2,
    Phi3,
}

/// <summary>Llama 3's frequency-dependent RoPE rescaling (<c>rope_scaling.rope_type = "llama3"</c>).</summary>
public sealed record RopeScaling(double Factor, double LowFrequencyFactor, double HighFrequencyFactor, int OriginalMaxPositionEmbeddings);

/// <summary>A model's shape as Hugging Face's <c>config.json</c> gives it.</summary>
public sealed record ModelConfig
{
    public required ModelFamily Family { get; init; }

    public required int VocabSize { get; init; }

    public required int HiddenSize { get; init; }

    public required int IntermediateSize { get; init; }

    public required int NumLayers { get; init; }

    public required int NumHeads { get; init; }

    /// <summary>Fewer than <see cref="NumHeads"/> means grouped-query attention.</summary>
    public required int NumKeyValueHeads { get; init; }

    public required int HeadDim { get; init; }

    public int MaxPositionEmbeddings { get; init; } = 2048;

    public double RmsNormEps { get; init; } = 1e-6;

    public double RopeTheta { get; init; } = 10000;

    public RopeScaling? RopeScaling { get; init; }

    /// <summary>The output head reuses the embedding matrix.</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>q, k and v projections carry a bias (Qwen2).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>q, k, v are one <c>qkv_proj</c> and gate, up one <c>gate_up_proj</c> (Phi-3).</summary>
    public bool FusedProjections { get; init; }

    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    public int? BosTokenId { get; init; }
}
