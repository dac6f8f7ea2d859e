using System.Text;
using Distill.Core.Curation;
using Distill.Core.Datasets;

namespace Distill.UnitTests.Curation;

/// <summary>
/// A corpus with known answers: base examples built from shared templates and stock phrases (so distinct examples share
/// a good deal of text), near duplicates of some of them made by small edits (case, whitespace, punctuation, one typo),
/// and hard negatives: an example's question and stock phrases kept but its substance rewritten, so that it shares a
/// template with the original yet is a different example.
/// </summary>
internal sealed class PlantedNearDuplicates
{
    private static readonly string[] Topics =
    [
        "photosynthesis", "the french revolution", "compound interest", "plate tectonics", "the immune system", "sorting algorithms",
        "supply and demand", "the water cycle", "black holes", "the roman empire", "machine learning", "climate change",
        "the printing press", "quantum entanglement", "vaccines", "the stock market", "ocean currents", "the renaissance",
    ];

    private static readonly string[] Stock =
    [
        "Great question, here is a clear explanation.",
        "I hope this helps, and feel free to ask a follow-up question if anything is unclear.",
        "In short, the key idea is simpler than it first appears.",
    ];

    private readonly Random random;
    private readonly string[] words;

    public PlantedNearDuplicates(int seed)
    {
        random = new Random(seed);
        string[] syllables = ["ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe", "ri", "so", "tu", "vi", "wa", "xe", "yo", "zu"];
        words = Enumerable.Range(0, 3000).Select(_ => string.Concat(Enumerable.Range(0, random.Next(2, 4)).Select(_ => syllables[random.Next(syllables.Length)]))).Distinct().ToArray();
    }

    public List<CurationItem> Items { get; } = [];

    /// <summary>(near duplicate id, original id).</summary>
    public HashSet<(long Duplicate, long Original)> Planted { get; } = [];

    public List<(long HardNegative, long Original)> HardNegatives { get; } = [];

    public PlantedNearDuplicates Build(int bases, int nearDuplicates, int hardNegatives)
    {
        var originals = new List<CurationItem>();
        for (var b = 0; b < bases; b++)
        {
            originals.Add(Add(Fresh()));
        }

        foreach (var original in originals.OrderBy(_ => random.Next()).Take(nearDuplicates).ToList())
        {
            Planted.Add((Add(SmallEdits(original.Record)).Id, original.Id));
        }

        foreach (var original in originals.OrderBy(_ => random.Next()).Take(hardNegatives).ToList())
        {
            HardNegatives.Add((Add(Rewritten(original.Record)).Id, original.Id));
        }

        // Ids in a shuffled order, as rows arrive from a database: "keep the lowest id" must not mean "keep the first row".
        var shuffled = Items.OrderBy(_ => random.Next()).ToList();
        Items.Clear();
        Items.AddRange(shuffled);
        return this;
    }

    private CurationItem Add(ExampleRecord record)
    {
        var item = Examples.Item(Items.Count + 1, record);
        Items.Add(item);
        return item;
    }

    private ExampleRecord Fresh()
    {
        var topic = Topics[random.Next(Topics.Length)];
        var question = $"Explain {topic} to a curious student, and mention {Word()} and {Word()}.";
        var answer = new List<string> { Stock[0] };
        while (answer.Sum(s => s.Count(c => c == ' ') + 1) < 140)
        {
            answer.Add(random.Next(6) == 0 ? Stock[random.Next(1, Stock.Length)] : Sentence(topic));
        }

        answer.Add(Stock[1]);
        return Examples.Chat(question, string.Join(" ", answer), system: "You are a patient tutor who explains things simply.");
    }

    private string Sentence(string topic)
    {
        var body = string.Join(" ", Enumerable.Range(0, random.Next(8, 16)).Select(_ => Word()));
        return random.Next(3) == 0 ? $"When it comes to {topic}, {body}." : char.ToUpperInvariant(body[0]) + body[1..] + ".";
    }

    private string Word() => words[random.Next(words.Length)];

    /// <summary>What a user calls "the same answer": a few case, spacing and punctuation changes and one typo.</summary>
    private ExampleRecord SmallEdits(ExampleRecord original)
    {
        var answer = new StringBuilder(original.Completion!);
        for (var e = random.Next(2, 5); e > 0; e--)
        {
            var at = random.Next(1, answer.Length - 1);
            switch (random.Next(3))
            {
                case 0:
                    answer[at] = char.IsUpper(answer[at]) ? char.ToLowerInvariant(answer[at]) : char.ToUpperInvariant(answer[at]);
                    break;
                case 1:
                    answer.Insert(at, answer[at] == ' ' ? "  " : " \n");
                    break;
                default:
                    answer.Insert(at, random.Next(2) == 0 ? "," : "!");
                    break;
            }
        }

        var typo = random.Next(1, answer.Length - 2);
        answer[typo] = answer[typo] == 'e' ? 'a' : 'e';
        var messages = original.Messages.ToArray();
        messages[^1] = messages[^1] with { Content = answer.ToString() };
        messages[^2] = messages[^2] with { Content = messages[^2].Content!.ToUpperInvariant() };
        return original with { Messages = messages };
    }

    /// <summary>Same question and stock phrases, and a quarter of the answer's sentences rewritten.</summary>
    private ExampleRecord Rewritten(ExampleRecord original)
    {
        var topic = Topics.First(t => original.Messages[1].Content!.Contains(t, StringComparison.Ordinal));
        var sentences = original.Completion!.Split(". ").ToList();
        foreach (var i in Enumerable.Range(1, sentences.Count - 2).OrderBy(_ => random.Next()).Take(Math.Max(1, sentences.Count / 4)).ToList())
        {
            sentences[i] = Sentence(topic).TrimEnd('.');
        }

        var messages = original.Messages.ToArray();
        messages[^1] = messages[^1] with { Content = string.Join(". ", sentences) };
        return original with { Messages = messages };
    }
}
