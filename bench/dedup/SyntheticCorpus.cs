using System.Text;
using Distill.Core.Curation;
using Distill.Core.Datasets;

namespace Distill.Bench.Dedup;

/// <summary>
/// Chat examples of ~150 words that look like a teacher's output: a shared system prompt, templated questions, answers
/// drawn from a Zipf-distributed vocabulary with stock phrases, so that distinct examples share plenty of text. Some
/// examples are planted near duplicates (small edits of an earlier one), others hard negatives (an earlier one with
/// a third of its sentences rewritten), so precision and recall can be measured.
/// </summary>
internal sealed class SyntheticCorpus
{
    private static readonly string[] Templates =
    [
        "Explain {0} and {1} in simple terms.",
        "Write a short summary of {0} for a reader who knows {1}.",
        "What is the difference between {0} and {1}?",
        "Give me three tips about {0}, with an example involving {1}.",
    ];

    private static readonly string[] StockPhrases =
    [
        "Here is a clear answer to your question.",
        "I hope this helps, and let me know if you have any other questions.",
        "In short, the idea is simple once you see the pattern.",
        "Let us go through it step by step.",
        "This is a common source of confusion.",
    ];

    private readonly Random random;
    private readonly string[] vocabulary;
    private readonly double[] cumulative;

    public SyntheticCorpus(int seed, int vocabularySize = 20_000)
    {
        random = new Random(seed);
        string[] syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "fi", "gu", "he", "jo", "ber", "con", "dis", "ex", "tion"];
        vocabulary = new string[vocabularySize];
        var seen = new HashSet<string>();
        for (var i = 0; i < vocabularySize;)
        {
            var word = string.Concat(Enumerable.Range(0, random.Next(1, 5)).Select(_ => syllables[random.Next(syllables.Length)]));
            if (seen.Add(word))
            {
                vocabulary[i++] = word;
            }
        }

        cumulative = new double[vocabularySize];
        var total = 0.0;
        for (var i = 0; i < vocabularySize; i++)
        {
            cumulative[i] = total += 1.0 / (i + 1);
        }
    }

    public List<CurationItem> Generate(int count, double nearDuplicateShare, double hardNegativeShare, out HashSet<(long Duplicate, long Original)> planted, out HashSet<long> hardNegatives)
    {
        var items = new List<CurationItem>(count);
        planted = [];
        hardNegatives = [];
        var duplicates = new HashSet<long>();
        var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var id = 1; id <= count; id++)
        {
            var roll = random.NextDouble();
            ExampleRecord record;
            if (items.Count > 100 && roll < nearDuplicateShare)
            {
                var original = items[random.Next(items.Count)];
                while (duplicates.Contains(original.Id))
                {
                    original = items[random.Next(items.Count)];
                }

                duplicates.Add(id);

                record = SmallEdits(original.Record);
                planted.Add((id, original.Id));
            }
            else if (items.Count > 100 && roll < nearDuplicateShare + hardNegativeShare)
            {
                record = RewriteAThird(items[random.Next(items.Count)].Record);
                hardNegatives.Add(id);
            }
            else
            {
                record = Fresh();
            }

            items.Add(new CurationItem(id, record, DatasetSplits.Train, created.AddSeconds(id)));
        }

        return items;
    }

    private ExampleRecord Fresh()
    {
        var question = string.Format(Templates[random.Next(Templates.Length)], Word(), Word());
        var sentences = new List<string> { StockPhrases[random.Next(2)] };
        var words = 0;
        while (words < 140)
        {
            var sentence = random.NextDouble() < 0.1 ? StockPhrases[random.Next(StockPhrases.Length)] : Sentence();
            sentences.Add(sentence);
            words += sentence.Count(c => c == ' ') + 1;
        }

        return Chat(question, string.Join(" ", sentences));
    }

    private string Sentence()
    {
        var words = Enumerable.Range(0, random.Next(8, 20)).Select(_ => Word()).ToArray();
        words[0] = char.ToUpperInvariant(words[0][0]) + words[0][1..];
        return string.Join(random.NextDouble() < 0.2 ? ", " : " ", words.Take(3)) + " " + string.Join(" ", words.Skip(3)) + ".";
    }

    private string Word()
    {
        var index = Array.BinarySearch(cumulative, random.NextDouble() * cumulative[^1]);
        return vocabulary[index < 0 ? ~index : index];
    }

    /// <summary>What a re-asked teacher or a copy-paste produces: changed case, spacing and punctuation, and one typo.</summary>
    private ExampleRecord SmallEdits(ExampleRecord original)
    {
        var answer = new StringBuilder(original.Completion!);
        var edits = random.Next(2, 5);
        for (var e = 0; e < edits; e++)
        {
            var at = random.Next(1, answer.Length - 1);
            switch (random.Next(4))
            {
                case 0:
                    answer[at] = char.IsUpper(answer[at]) ? char.ToLowerInvariant(answer[at]) : char.ToUpperInvariant(answer[at]);
                    break;
                case 1:
                    answer.Insert(at, answer[at] == ' ' ? "  " : "\n");
                    break;
                case 2:
                    answer.Insert(at, random.Next(2) == 0 ? "," : "!");
                    break;
            }
        }

        // One typo: two neighbouring letters swapped.
        var typo = random.Next(1, answer.Length - 2);
        (answer[typo], answer[typo + 1]) = (answer[typo + 1], answer[typo]);
        var question = original.Messages[1].Content!;
        return Chat(random.Next(2) == 0 ? question.ToLowerInvariant() : question, answer.ToString());
    }

    private ExampleRecord RewriteAThird(ExampleRecord original)
    {
        var sentences = original.Completion!.Split(". ");
        foreach (var i in Enumerable.Range(0, sentences.Length).OrderBy(_ => random.Next()).Take((sentences.Length + 2) / 3).ToList())
        {
            sentences[i] = Sentence().TrimEnd('.');
        }

        return Chat(original.Messages[1].Content!, string.Join(". ", sentences));
    }

    private static ExampleRecord Chat(string question, string answer) => new(
        [
            new ExampleMessage(ExampleMessage.System, "You are a helpful assistant that answers questions about science, history and language clearly and briefly."),
            new ExampleMessage(ExampleMessage.User, question),
            new ExampleMessage(ExampleMessage.Assistant, answer),
        ],
        ExampleRecord.NoMetadata);
}
