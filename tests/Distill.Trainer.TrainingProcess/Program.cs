using System.Text.Json;
using Distill.Trainer.Models;
using Distill.Trainer.Training;
using Distill.Trainer.TrainingProcess;
using static TorchSharp.torch;

// usage: Distill.Trainer.TrainingProcess RUN_DIRECTORY MAX_STEPS CHECKPOINT_EVERY
// Trains a tiny model on the toy language with checkpoints in RUN_DIRECTORY, resuming from the newest one, and
// writes the whole loss curve to RUN_DIRECTORY/history.json when done. Prints "step N" after each step.
var (directory, maxSteps, checkpointEvery) = (args[0], int.Parse(args[1]), int.Parse(args[2]));
var checkpoints = new DirectoryCheckpoints(directory);
Console.WriteLine(checkpoints.LatestStep is { } latest ? $"resuming after step {latest}" : "starting");

set_num_threads(1);
manual_seed(5);
using var student = new LlamaForCausalLM(new ModelConfig
{
    Family = ModelFamily.Qwen2, VocabSize = 97, HiddenSize = 32, IntermediateSize = 56, NumLayers = 2,
    NumHeads = 4, NumKeyValueHeads = 2, HeadDim = 8, AttentionBias = true, TieWordEmbeddings = true,
});
var options = new TrainingOptions
{
    MaxSteps = maxSteps, BatchSize = 4, GradientAccumulation = 2, LearningRate = 3e-3, MinLearningRate = 3e-4,
    WarmupSteps = 3, EvaluateEvery = 4, CheckpointEvery = checkpointEvery, Seed = 11,
};
var loop = new TrainingLoop(student, new SupervisedFineTuning(), new ToySequences(40, 10, 97, 3), new ToySequences(8, 10, 97, 4), options, checkpoints);
var history = loop.Run(step => Console.WriteLine($"step {step.Step}"));
File.WriteAllText(Path.Combine(directory, "history.json"), JsonSerializer.Serialize(history));
Console.WriteLine("done");
