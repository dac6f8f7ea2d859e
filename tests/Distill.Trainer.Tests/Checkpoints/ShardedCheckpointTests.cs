using System.Text.Json;
using System.Text.Json.Nodes;
using Distill.Trainer.Checkpoints;
using Distill.Trainer.Models;

namespace Distill.Trainer.Tests.Checkpoints;

public sealed class ShardedCheckpointTests : IDisposable
{
    private const long MaxShardBytes = 16384;

    private readonly TemporaryDirectory _directory = new();

    [Fact]
    public void A_sharded_save_is_laid_out_as_hugging_face_does_and_reads_back_unchanged()
    {
        var original = _directory.Combine("original");
        var sharded = _directory.Combine("sharded");
        var config = TinyCheckpoint.Write(original, ModelFamily.Llama, SafetensorsDtype.F32, seed: 5);

        IReadOnlyList<string> written;
        using (var loaded = HuggingFaceCheckpoint.Load(original))
        {
            written = HuggingFaceCheckpoint.Save(sharded, config, loaded.Tensors, MaxShardBytes);
        }

        var shardNames = Directory.GetFiles(sharded, "*.safetensors").Select(Path.GetFileName).Order().ToList();
        var count = shardNames.Count;
        Assert.True(count > 2, $"expected several shards, got {count}");
        Assert.Equal(Enumerable.Range(1, count).Select(i => $"model-{i:D5}-of-{count:D5}.safetensors"), shardNames);
        Assert.False(File.Exists(Path.Combine(sharded, Safetensors.SingleFileName)));
        Assert.Equal([.. shardNames.Select(n => Path.Combine(sharded, n!)), Path.Combine(sharded, Safetensors.IndexFileName), Path.Combine(sharded, "config.json")], written);

        using var before = SafetensorsCheckpoint.Open(original);
        using var after = SafetensorsCheckpoint.Open(sharded);
        Assert.Equal(count, after.Files.Count);
        foreach (var shard in after.Files)
        {
            var bytes = shard.Tensors.Sum(t => t.ByteLength);
            Assert.True(bytes <= MaxShardBytes || shard.Tensors.Count == 1, $"{shard.Path} holds {bytes} bytes");
            Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, shard.Metadata);
        }

        Assert.Equal(before.Tensors.Select(t => t.Name).Order(), after.Tensors.Select(t => t.Name).Order());
        foreach (var tensor in before.Tensors)
        {
            Assert.Equal(tensor.ToString(), after[tensor.Name].ToString());
            Assert.Equal(tensor.ReadAllBytes(), after[tensor.Name].ReadAllBytes());
        }

        // Model order is kept across shards: the embedding opens the first, the head closes the last.
        Assert.True(after.Files[0].TryGetTensor(LlamaWeightNames.EmbedTokens, out _));
        Assert.True(after.Files[^1].TryGetTensor(LlamaWeightNames.LmHead, out _));

        var index = SafetensorsIndex.Read(Path.Combine(sharded, Safetensors.IndexFileName));
        Assert.Equal(before.Tensors.Sum(t => t.ByteLength), index.TotalSize);
        foreach (var shard in after.Files)
        {
            Assert.All(shard.Tensors, t => Assert.Equal(Path.GetFileName(shard.Path), index.WeightMap[t.Name]));
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(sharded, Safetensors.IndexFileName)));
        Assert.Equal(index.TotalSize, json.RootElement.GetProperty("metadata").GetProperty("total_size").GetInt64());
        var mapped = json.RootElement.GetProperty("weight_map").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(mapped.Order(StringComparer.Ordinal), mapped);

        using var reloaded = HuggingFaceCheckpoint.Load(sharded);
        ModelConfigAssert.Same(config, reloaded.Config);
    }

    [Theory]
    [InlineData(new long[] { 10, 10, 10 }, 20, new[] { 2, 1 })]
    [InlineData(new long[] { 10, 10, 10 }, 30, new[] { 3 })]
    [InlineData(new long[] { 30, 5 }, 20, new[] { 1, 1 })]
    [InlineData(new long[] { 5, 30, 5 }, 20, new[] { 1, 1, 1 })]
    [InlineData(new long[] { 5, 5, 30, 5, 5 }, 10, new[] { 2, 1, 2 })]
    [InlineData(new long[] { }, 10, new[] { 0 })]
    public void Shards_fill_in_order_and_an_oversized_tensor_stands_alone(long[] sizes, long max, int[] expectedCounts)
    {
        var tensors = sizes.Select((size, i) => SafetensorsTensorSource.FromBytes($"t{i}", SafetensorsDtype.U8, [size], new byte[size])).ToList();

        var shards = SafetensorsCheckpointWriter.Split(tensors, max);

        Assert.Equal(expectedCounts, shards.Select(s => s.Count));
        Assert.Equal(tensors, shards.SelectMany(s => s));
    }

    [Fact]
    public void Weights_that_fit_one_shard_are_saved_as_a_single_file()
    {
        TinyCheckpoint.Write(_directory.Path, ModelFamily.Qwen2);
        var tensors = CheckpointTensors.LoadTensors(_directory.Path);

        var written = CheckpointTensors.Save(_directory.Combine("out"), tensors, maxShardBytes: 1L << 30);

        Assert.Equal([_directory.Combine("out", Safetensors.SingleFileName)], written);
        Assert.False(File.Exists(_directory.Combine("out", Safetensors.IndexFileName)));
        DisposeAll(tensors);
    }

    [Fact]
    public void Saving_again_in_the_other_layout_removes_the_earlier_weights()
    {
        TinyCheckpoint.Write(_directory.Path, ModelFamily.Phi3);
        var tensors = CheckpointTensors.LoadTensors(_directory.Path);
        var target = _directory.Combine("out");

        CheckpointTensors.Save(target, tensors, MaxShardBytes);
        CheckpointTensors.Save(target, tensors);
        Assert.Equal([Safetensors.SingleFileName], Directory.GetFiles(target).Select(Path.GetFileName));

        CheckpointTensors.Save(target, tensors, MaxShardBytes);
        Assert.DoesNotContain(Safetensors.SingleFileName, Directory.GetFiles(target).Select(Path.GetFileName));
        using (var reread = SafetensorsCheckpoint.Open(target))
        {
            Assert.True(reread.Files.Count > 1);
        }

        DisposeAll(tensors);
    }

    [Fact]
    public void A_missing_shard_is_named_with_a_tensor_it_should_hold()
    {
        var sharded = WriteSharded();
        var index = SafetensorsIndex.Read(Path.Combine(sharded, Safetensors.IndexFileName));
        var victim = index.ShardFileNames[1];
        File.Delete(Path.Combine(sharded, victim));

        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsCheckpoint.Open(sharded));

        Assert.Equal(Path.Combine(sharded, Safetensors.IndexFileName), error.Path);
        Assert.Equal("weight_map", error.Field);
        Assert.Equal(victim, index.WeightMap[error.Tensor!]);
        Assert.Contains($"is in shard {victim}, which does not exist", error.Message);
    }

    [Fact]
    public void An_index_that_puts_a_tensor_in_the_wrong_shard_is_refused()
    {
        var sharded = WriteSharded();
        var original = SafetensorsIndex.Read(Path.Combine(sharded, Safetensors.IndexFileName));
        var first = original.ShardFileNames[0];
        var moved = original.WeightMap.First(e => e.Value == original.ShardFileNames[^1]).Key;
        var index = EditIndex(sharded, map => map[moved] = first);

        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsCheckpoint.Open(sharded));

        Assert.Equal(index, error.Path);
        Assert.Equal(moved, error.Tensor);
        Assert.Contains($"is mapped to {first}, which does not contain it", error.Message);
    }

    [Fact]
    public void A_shard_tensor_the_index_does_not_list_is_refused()
    {
        var sharded = WriteSharded();
        EditIndex(sharded, map => map.Remove(LlamaWeightNames.FinalNorm));

        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsCheckpoint.Open(sharded));

        Assert.EndsWith(".safetensors", error.Path);
        Assert.Equal(LlamaWeightNames.FinalNorm, error.Tensor);
        Assert.Contains("weight_map does not list it", error.Message);
    }

    [Theory]
    [InlineData("../model-00001-of-00002.safetensors")]
    [InlineData("/etc/passwd")]
    [InlineData("")]
    public void An_index_may_only_name_files_beside_it(string shard)
    {
        var sharded = WriteSharded();
        EditIndex(sharded, map => map[LlamaWeightNames.EmbedTokens] = shard);

        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsCheckpoint.Open(sharded));

        Assert.Equal(LlamaWeightNames.EmbedTokens, error.Tensor);
        Assert.Contains("not the name of a file beside the index", error.Message);
    }

    [Theory]
    [InlineData("{\"weight_map\": ", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{\"metadata\": {}}", "no 'weight_map' object")]
    [InlineData("{\"weight_map\": {\"w\": 3}}", "maps to the number 3")]
    public void A_broken_index_is_reported(string json, string problem)
    {
        var index = _directory.Combine(Safetensors.IndexFileName);
        File.WriteAllText(index, json);

        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsCheckpoint.Open(_directory.Path));

        Assert.Equal(index, error.Path);
        Assert.StartsWith(index, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void A_directory_without_weights_says_what_it_looked_for()
    {
        var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsCheckpoint.Open(_directory.Path));
        Assert.Contains("neither model.safetensors nor model.safetensors.index.json", error.Message);

        Assert.Throws<DirectoryNotFoundException>(() => SafetensorsCheckpoint.Open(_directory.Combine("absent")));
    }

    public void Dispose() => _directory.Dispose();

    private string WriteSharded()
    {
        var original = _directory.Combine("original");
        TinyCheckpoint.Write(original, ModelFamily.Llama);
        using var weights = SafetensorsCheckpoint.Open(original);
        var sharded = _directory.Combine("sharded");
        SafetensorsCheckpointWriter.Write(sharded, [.. weights.Tensors.Select(SafetensorsTensorSource.From)], Safetensors.TorchMetadata, MaxShardBytes);
        return sharded;
    }

    private static string EditIndex(string directory, Action<JsonObject> edit)
    {
        var path = Path.Combine(directory, Safetensors.IndexFileName);
        var index = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(index["weight_map"]!.AsObject());
        File.WriteAllText(path, index.ToJsonString());
        return path;
    }

    private static void DisposeAll(Dictionary<string, TorchSharp.torch.Tensor> tensors)
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }
}
