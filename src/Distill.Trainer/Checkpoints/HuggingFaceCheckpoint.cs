using Distill.Trainer.Models;
using static TorchSharp.torch;

namespace Distill.Trainer.Checkpoints;

/// <summary>
/// A Hugging Face model directory in memory: its <c>config.json</c> and its weights as TorchSharp tensors under
/// Hugging Face's names (<see cref="LlamaWeightNames"/>). Disposing it frees the tensors.
/// </summary>
public sealed class HuggingFaceCheckpoint : IDisposable
{
    private HuggingFaceCheckpoint(string directory, ModelConfig config, Dictionary<string, Tensor> tensors)
    {
        Directory = directory;
        Config = config;
        Tensors = tensors;
    }

    public string Directory { get; }

    public ModelConfig Config { get; }

    public Dictionary<string, Tensor> Tensors { get; }

    /// <summary>
    /// Reads config.json, checks the weights' names and shapes against it from the headers alone, and only then
    /// reads the weights, so a wrong checkpoint fails before gigabytes are loaded.
    /// </summary>
    /// <param name="device">Where the tensors go; the CPU when null.</param>
    public static HuggingFaceCheckpoint Load(string directory, Device? device = null)
    {
        var config = ModelConfigReader.ReadDirectory(directory);
        using var weights = SafetensorsCheckpoint.Open(directory);
        LlamaWeightNames.Validate(config, weights.Shapes(), directory);
        var needed = weights.Tensors.Where(t => !LlamaWeightNames.IsIgnorable(t.Name));
        return new HuggingFaceCheckpoint(directory, config, CheckpointTensors.LoadTensors(needed, device));
    }

    /// <summary>
    /// Writes a loadable Hugging Face model directory: the weights (sharded when <paramref name="maxShardBytes"/> splits
    /// them) and config.json, after checking the tensors match the config. Rotary buffers that loading tolerates are not
    /// written back.
    /// </summary>
    /// <returns>The files written.</returns>
    public static IReadOnlyList<string> Save(string directory, ModelConfig config, IReadOnlyDictionary<string, Tensor> tensors, long? maxShardBytes = null)
    {
        LlamaWeightNames.Validate(config, tensors.ToDictionary(t => t.Key, t => t.Value.shape, StringComparer.Ordinal), $"The tensors to save to {directory}");
        // In model order, as Hugging Face shards a state dict, so a layer's tensors share a shard where they fit.
        var inModelOrder = LlamaWeightNames.Expected(config).Select(e => KeyValuePair.Create(e.Name, tensors[e.Name]));
        var written = CheckpointTensors.Save(directory, inModelOrder, maxShardBytes);
        var configPath = Path.Combine(directory, ModelConfigReader.FileName);
        ModelConfigWriter.Write(config, configPath, CheckpointTensors.TorchDtypeName(tensors[LlamaWeightNames.EmbedTokens].dtype));
        return [.. written, configPath];
    }

    public void Dispose()
    {
        foreach (var tensor in Tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
