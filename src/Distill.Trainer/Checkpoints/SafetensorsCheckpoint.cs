namespace Distill.Trainer.Checkpoints;

/// <summary>
/// The weights of a Hugging Face checkpoint directory, whether in one <c>model.safetensors</c> or in shards listed by
/// <c>model.safetensors.index.json</c>; every tensor is described and none is read until asked for.
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    private readonly Dictionary<string, SafetensorsTensor> _byName;

    private SafetensorsCheckpoint(string directory, IReadOnlyList<SafetensorsFile> files)
    {
        Directory = directory;
        Files = files;
        Tensors = files.SelectMany(f => f.Tensors).ToList();
        _byName = Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public string Directory { get; }

    /// <summary>One file, or the shards in order.</summary>
    public IReadOnlyList<SafetensorsFile> Files { get; }

    public IReadOnlyList<SafetensorsTensor> Tensors { get; }

    public SafetensorsTensor this[string name] =>
        _byName.TryGetValue(name, out var tensor)
            ? tensor
            : throw new KeyNotFoundException($"The checkpoint in {Directory} has no tensor '{name}'.");

    public bool TryGetTensor(string name, out SafetensorsTensor tensor) => _byName.TryGetValue(name, out tensor!);

    /// <summary>Every tensor's shape, for checking against a model without reading any data.</summary>
    public IReadOnlyDictionary<string, long[]> Shapes() => Tensors.ToDictionary(t => t.Name, t => t.ShapeArray(), StringComparer.Ordinal);

    public static SafetensorsCheckpoint Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Checkpoint directory {directory} does not exist.");
        }

        // Hugging Face looks for the single file first; so do we, so both loaders see the same weights.
        var single = Path.Combine(directory, Safetensors.SingleFileName);
        if (File.Exists(single))
        {
            return new SafetensorsCheckpoint(directory, [SafetensorsFile.Open(single)]);
        }

        var index = Path.Combine(directory, Safetensors.IndexFileName);
        if (File.Exists(index))
        {
            return OpenSharded(directory, index);
        }

        throw new CheckpointFormatException(directory, null, null,
            $"{directory} has neither {Safetensors.SingleFileName} nor {Safetensors.IndexFileName}, so it holds no safetensors checkpoint.");
    }

    private static SafetensorsCheckpoint OpenSharded(string directory, string indexPath)
    {
        var index = SafetensorsIndex.Read(indexPath);
        var files = new List<SafetensorsFile>();
        try
        {
            foreach (var shardName in index.ShardFileNames)
            {
                var shardPath = Path.Combine(directory, shardName);
                if (!File.Exists(shardPath))
                {
                    var first = index.WeightMap.First(e => e.Value == shardName).Key;
                    throw new CheckpointFormatException(indexPath, first, "weight_map",
                        $"{indexPath}: tensor '{first}' is in shard {shardName}, which does not exist.");
                }

                files.Add(SafetensorsFile.Open(shardPath));
            }

            CheckAgreement(indexPath, index, files);
            return new SafetensorsCheckpoint(directory, files);
        }
        catch
        {
            files.ForEach(f => f.Dispose());
            throw;
        }
    }

    /// <summary>The index and the shards must describe the same tensors, each in exactly one place.</summary>
    private static void CheckAgreement(string indexPath, SafetensorsIndex index, List<SafetensorsFile> files)
    {
        foreach (var (name, shardName) in index.WeightMap)
        {
            var shard = files.Single(f => Path.GetFileName(f.Path) == shardName);
            if (!shard.TryGetTensor(name, out _))
            {
                throw new CheckpointFormatException(indexPath, name, "weight_map",
                    $"{indexPath}: tensor '{name}' is mapped to {shardName}, which does not contain it.");
            }
        }

        foreach (var file in files)
        {
            var shardName = Path.GetFileName(file.Path);
            foreach (var tensor in file.Tensors)
            {
                if (!index.WeightMap.TryGetValue(tensor.Name, out var mapped) || mapped != shardName)
                {
                    throw new CheckpointFormatException(file.Path, tensor.Name, "weight_map",
                        $"{file.Path}: tensor '{tensor.Name}' is in this shard, but {indexPath}'s weight_map " +
                        (mapped is null ? "does not list it." : $"puts it in {mapped}."));
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var file in Files)
        {
            file.Dispose();
        }
    }
}
