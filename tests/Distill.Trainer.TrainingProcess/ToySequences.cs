using Distill.Trainer.Training;
using static TorchSharp.torch;

namespace Distill.Trainer.TrainingProcess;

/// <summary>
/// A learnable toy language: each token is a fixed function of the previous one, except after a "prompt" prefix
/// that the loss mask excludes. Small enough to learn in a few dozen steps on a CPU.
/// </summary>
public sealed class ToySequences(int count, int length, int vocab, int seed) : ITrainingData
{
    private readonly long[][] _sequences = Make(count, length, vocab, seed);

    public int Count => count;

    public TrainingBatch Load(IReadOnlyList<int> examples)
    {
        var inputs = examples.SelectMany(e => _sequences[e][..^1]).ToArray();
        var targets = examples.SelectMany(e => _sequences[e][1..]).ToArray();
        // The first two predictions belong to the "prompt": they do not count.
        var mask = examples.SelectMany(_ => Enumerable.Range(0, length - 1).Select(i => i < 2 ? 0f : 1f)).ToArray();
        return new TrainingBatch(
            tensor(inputs, [examples.Count, length - 1]),
            tensor(targets, [examples.Count, length - 1]),
            tensor(mask, [examples.Count, length - 1]));
    }

    private static long[][] Make(int count, int length, int vocab, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var sequence = new long[length];
            sequence[0] = random.Next(vocab);
            for (var i = 1; i < length; i++)
            {
                sequence[i] = (sequence[i - 1] * 5 + 3) % vocab;
            }

            return sequence;
        }).ToArray();
    }
}
