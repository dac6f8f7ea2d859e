namespace Distill.Trainer.Checkpoints;

/// <summary>
/// The safetensors layout, as Hugging Face specifies it:
/// <code>
/// [8 bytes]  N, the header length, unsigned little-endian
/// [N bytes]  UTF-8 JSON: { "__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}, ... }
///            padded with spaces so the data region starts 8-byte aligned
/// [rest]     the data region: each tensor's row-major bytes, little-endian, at [begin, end) relative to its start
/// </code>
/// The data region has no holes: the tensors' ranges tile it exactly.
/// </summary>
public static class Safetensors
{
    public const int HeaderLengthBytes = 8;

    public const int Alignment = 8;

    /// <summary>The reference implementation refuses larger headers; so do we, before allocating for one.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public const string MetadataKey = "__metadata__";

    /// <summary>The one file of an unsharded checkpoint.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>The index of a sharded checkpoint, mapping each tensor to its shard.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    /// <summary>Hugging Face's shard naming, 1-based: <c>model-00001-of-00003.safetensors</c>.</summary>
    public static string ShardFileName(int shard, int shardCount) =>
        $"model-{shard:D5}-of-{shardCount:D5}.safetensors";

    /// <summary>The metadata Hugging Face's PyTorch loaders expect on weights saved from torch.</summary>
    public static IReadOnlyDictionary<string, string> TorchMetadata { get; } = new Dictionary<string, string> { ["format"] = "pt" };
}
