using System.Text.Json;
using Distill.Trainer.Checkpoints;
using static TorchSharp.torch;

namespace Distill.Trainer.Training;

/// <summary>
/// A run's checkpoints on disk, one folder per step: <c>step-{n}/model.safetensors</c> (Hugging Face names, so a
/// checkpoint is also a loadable model), <c>optimizer.safetensors</c> and <c>trainer_state.json</c>. Each is written
/// to a ".partial" folder first and renamed when complete, so a process killed while writing leaves the previous
/// checkpoint as the latest.
/// </summary>
public sealed class DirectoryCheckpoints(string root, int keep = 2) : ITrainingCheckpoints
{
    private const string Prefix = "step-";
    private const string Partial = ".partial";
    private const string OptimizerFile = "optimizer.safetensors";
    private const string StateFile = "trainer_state.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // The best validation loss starts at +infinity.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    public string Root { get; } = root;

    /// <summary>The step of the newest complete checkpoint, or null before the first.</summary>
    public long? LatestStep => Completed().Select(c => (long?)c.Step).FirstOrDefault();

    public void Save(TrainingState state, IReadOnlyDictionary<string, Tensor> model, IReadOnlyDictionary<string, Tensor> optimizer)
    {
        var final = Path.Combine(Root, Prefix + state.Step);
        var partial = final + Partial;
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        Directory.CreateDirectory(partial);
        CheckpointTensors.Save(partial, model);
        SafetensorsWriter.Write(Path.Combine(partial, OptimizerFile), optimizer.Select(t => CheckpointTensors.ToSource(t.Key, t.Value)).ToList());
        File.WriteAllText(Path.Combine(partial, StateFile), JsonSerializer.Serialize(state, Json));
        if (Directory.Exists(final))
        {
            Directory.Delete(final, recursive: true);
        }

        Directory.Move(partial, final);
        foreach (var old in Completed().Skip(keep))
        {
            Directory.Delete(old.Path, recursive: true);
        }
    }

    public (TrainingState State, Dictionary<string, Tensor> Model, Dictionary<string, Tensor> Optimizer)? LoadLatest()
    {
        if (Completed().FirstOrDefault() is not { Path: { } latest })
        {
            return null;
        }

        var state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(Path.Combine(latest, StateFile)), Json)
            ?? throw new InvalidDataException($"{Path.Combine(latest, StateFile)} is empty.");
        var model = CheckpointTensors.LoadTensors(latest);
        using var optimizerFile = SafetensorsFile.Open(Path.Combine(latest, OptimizerFile));
        var optimizer = CheckpointTensors.LoadTensors(optimizerFile.Tensors);
        return (state, model, optimizer);
    }

    /// <summary>Finished checkpoints, newest first.</summary>
    private IEnumerable<(long Step, string Path)> Completed() =>
        Directory.Exists(Root)
            ? Directory.GetDirectories(Root, Prefix + "*")
                .Where(d => !d.EndsWith(Partial, StringComparison.Ordinal))
                .Select(d => (Step: long.TryParse(Path.GetFileName(d)[Prefix.Length..], out var step) ? step : -1, Path: d))
                .Where(c => c.Step >= 0)
                .OrderByDescending(c => c.Step)
            : [];
}
