using Distill.Core.Datasets;

namespace Distill.Bench.Common;

/// <summary>
/// Seeded customer-support-like conversations: a Zipf-distributed vocabulary (so some words are in most examples
/// and most words are rare, as in real text), a system prompt, a question and an answer, and metadata with a few
/// low-cardinality keys the browse filters use.
/// </summary>
public sealed class SyntheticChats(int seed)
{
    public static readonly string[] Topics = [.. Enumerable.Range(0, 20).Select(i => $"topic{i:00}")];
    public static readonly string[] Languages = ["en", "de", "fr", "es", "ja"];

    private readonly Random _random = new(seed);
    private readonly string[] _vocabulary = Vocabulary(5000, new Random(seed ^ 0x5eed));
    private readonly double[] _cumulative = ZipfCumulative(5000);

    public string Word(int rank) => _vocabulary[rank];

    public ExampleRecord Next(long index)
    {
        var messages = new[]
        {
            new ExampleMessage(ExampleMessage.System, "You are a helpful support assistant for Contoso."),
            new ExampleMessage(ExampleMessage.User, Sentence(12 + _random.Next(30))),
            new ExampleMessage(ExampleMessage.Assistant, Sentence(30 + _random.Next(90))),
        };
        var metadata = new Dictionary<string, string>
        {
            ["topic"] = Topics[_random.Next(Topics.Length)],
            ["lang"] = Languages[_random.Next(Languages.Length)],
            ["ticket"] = $"T{index:0000000}",
        };
        return new ExampleRecord(messages, metadata);
    }

    private string Sentence(int words)
    {
        var parts = new string[words];
        for (var i = 0; i < words; i++)
        {
            var index = Array.BinarySearch(_cumulative, _random.NextDouble());
            parts[i] = _vocabulary[index < 0 ? Math.Min(~index, _vocabulary.Length - 1) : index];
        }

        return string.Join(' ', parts) + ".";
    }

    private static string[] Vocabulary(int size, Random random)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (words.Count < size)
        {
            var length = 3 + random.Next(8);
            words.Add(string.Create(length, random, (span, r) => { for (var i = 0; i < span.Length; i++) { span[i] = letters[r.Next(letters.Length)]; } }));
        }

        return [.. words];
    }

    private static double[] ZipfCumulative(int size)
    {
        var weights = Enumerable.Range(1, size).Select(rank => 1.0 / rank).ToArray();
        var total = weights.Sum();
        var cumulative = new double[size];
        double running = 0;
        for (var i = 0; i < size; i++)
        {
            running += weights[i] / total;
            cumulative[i] = running;
        }

        return cumulative;
    }
}
