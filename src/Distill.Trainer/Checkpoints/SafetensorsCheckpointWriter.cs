namespace Distill.Trainer.Checkpoints;

/// <summary>Writes a checkpoint directory's weights the way Hugging Face lays them out, sharded when asked.</summary>
public static class SafetensorsCheckpointWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> into <paramref name="directory"/>: one <c>model.safetensors</c>, or, when
    /// <paramref name="maxShardBytes"/> splits them, <c>model-0000i-of-0000n.safetensors</c> shards and their index.
    /// </summary>
    /// <returns>The files written, index last.</returns>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<SafetensorsTensorSource> tensors,
        IReadOnlyDictionary<string, string>? metadata = null, long? maxShardBytes = null)
    {
        var duplicate = tensors.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"{directory}: tensor '{duplicate.Key}' is given {duplicate.Count()} times.", nameof(tensors));
        }

        var shards = maxShardBytes is { } max ? Split(tensors, max) : [[.. tensors]];
        Directory.CreateDirectory(directory);
        RemoveWeights(directory);

        if (shards.Count == 1)
        {
            var single = Path.Combine(directory, Safetensors.SingleFileName);
            SafetensorsWriter.Write(single, shards[0], metadata);
            return [single];
        }

        var written = new List<string>();
        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < shards.Count; i++)
        {
            var shardName = Safetensors.ShardFileName(i + 1, shards.Count);
            var shardPath = Path.Combine(directory, shardName);
            SafetensorsWriter.Write(shardPath, shards[i], metadata);
            written.Add(shardPath);
            foreach (var tensor in shards[i])
            {
                weightMap[tensor.Name] = shardName;
            }
        }

        var indexPath = Path.Combine(directory, Safetensors.IndexFileName);
        new SafetensorsIndex(tensors.Sum(t => t.ByteLength), weightMap).Write(indexPath);
        written.Add(indexPath);
        return written;
    }

    /// <summary>
    /// Hugging Face's rule: tensors in the order given, a new shard whenever the next one would overflow the current;
    /// a tensor larger than the limit gets a shard of its own rather than being split.
    /// </summary>
    internal static List<List<SafetensorsTensorSource>> Split(IReadOnlyList<SafetensorsTensorSource> tensors, long maxShardBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        var shards = new List<List<SafetensorsTensorSource>> { new() };
        var size = 0L;
        foreach (var tensor in tensors)
        {
            if (shards[^1].Count > 0 && size + tensor.ByteLength > maxShardBytes)
            {
                shards.Add([]);
                size = 0;
            }

            shards[^1].Add(tensor);
            size += tensor.ByteLength;
        }

        return shards;
    }

    /// <summary>
    /// Weights of an earlier save in either layout go first: a leftover model.safetensors would shadow new shards, and
    /// leftover shards of a different count would lie about the checkpoint's size.
    /// </summary>
    private static void RemoveWeights(string directory)
    {
        File.Delete(Path.Combine(directory, Safetensors.SingleFileName));
        File.Delete(Path.Combine(directory, Safetensors.IndexFileName));
        foreach (var shard in Directory.EnumerateFiles(directory, "model-*-of-*.safetensors"))
        {
            File.Delete(shard);
        }
    }
}
