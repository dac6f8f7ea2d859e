using System.Diagnostics;
using System.Runtime.CompilerServices;
using Distill.Bench.Common;
using Distill.Core.Datasets;
using Distill.Worker.Datasets;

// Fills a version with 1M synthetic conversations through the Worker's COPY path, then times the browse pane's
// query (ExampleQuery.PageAsync: a page of 50 plus the capped count) under the filters people use.
var count = args.Length > 0 ? long.Parse(args[0]) : 1_000_000;
const int RunsPerShape = 40;

await using var database = await BenchDatabase.StartAsync("browse");
var version = await database.NewVersionAsync("browse-bench");
var chats = new SyntheticChats(seed: 42);
var load = Stopwatch.StartNew();
await BenchExamples.Writer(database).AppendAsync(version, Generate(chats, count), CancellationToken.None);
await database.ExecuteAsync($"UPDATE dataset_versions SET status = 'ready', count_after = {count} WHERE id = '{version.Id}'");
await database.ExecuteAsync("VACUUM ANALYZE examples");
Console.WriteLine($"loaded {count:N0} examples in {load.Elapsed.TotalSeconds:F1} s");

var random = new Random(7);
var shapes = new (string Name, Func<ExampleFilter> Filter, Func<int> Offset)[]
{
    ("first page, no filter", () => new ExampleFilter(), () => 0),
    ("page 100, no filter", () => new ExampleFilter(), () => 50 * 100),
    ("split=test", () => new ExampleFilter(Split: DatasetSplits.Test), () => 0),
    ("search a common word", () => new ExampleFilter(Search: chats.Word(random.Next(5, 50))), () => 0),
    ("search a rare word", () => new ExampleFilter(Search: chats.Word(random.Next(3000, 5000))), () => 0),
    ("search two words", () => new ExampleFilter(Search: $"{chats.Word(random.Next(20, 200))} {chats.Word(random.Next(200, 2000))}"), () => 0),
    ("metadata topic", () => new ExampleFilter(Metadata: Meta("topic", SyntheticChats.Topics[random.Next(20)])), () => 0),
    ("metadata topic+lang, page 5", () => new ExampleFilter(Metadata: new Dictionary<string, string> { ["topic"] = SyntheticChats.Topics[random.Next(20)], ["lang"] = SyntheticChats.Languages[random.Next(5)] }), () => 250),
    ("ticket (one example)", () => new ExampleFilter(Metadata: Meta("ticket", $"T{random.Next((int)count):0000000}")), () => 0),
    ("search + split + metadata", () => new ExampleFilter(Search: chats.Word(random.Next(50, 500)), Split: DatasetSplits.Train, Metadata: Meta("lang", "de")), () => 0),
    ("token range", () => new ExampleFilter(MinTokens: 200, MaxTokens: 400), () => 0),
};

await using (var warm = database.Open())
{
    await ExampleQuery.PageAsync(warm, version.Id, new ExampleFilter(), 0, 50, CancellationToken.None);
}

var all = new List<double>();
foreach (var (name, filter, offset) in shapes)
{
    var times = new List<double>();
    for (var run = 0; run < RunsPerShape; run++)
    {
        await using var db = database.Open();
        var watch = Stopwatch.StartNew();
        var page = await ExampleQuery.PageAsync(db, version.Id, filter(), offset(), 50, CancellationToken.None);
        times.Add(watch.Elapsed.TotalMilliseconds);
        if (run == 0)
        {
            Console.Write($"{name,-30} rows={page.Rows.Count,3} total={(page.TotalIsExact ? "" : ">")}{page.Total,6}  ");
        }
    }

    all.AddRange(times);
    Console.WriteLine($"p50={Percentile(times, 0.5),7:F1} ms  p95={Percentile(times, 0.95),7:F1} ms");
}

Console.WriteLine($"examples={count}");
Console.WriteLine($"browse_p50_ms={Percentile(all, 0.5):F1}");
Console.WriteLine($"browse_p95_ms={Percentile(all, 0.95):F1}");
return;

static Dictionary<string, string> Meta(string key, string value) => new() { [key] = value };

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToArray();
    return sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
}

static async IAsyncEnumerable<NewExample> Generate(SyntheticChats chats, long count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
{
    for (long i = 0; i < count; i++)
    {
        var record = chats.Next(i);
        var tokens = record.Messages.Sum(m => (m.Content?.Length ?? 0) / 4);
        yield return new NewExample(i, BenchExamples.SplitOf(i), record, tokens - record.Messages[^1].Content!.Length / 4, record.Messages[^1].Content!.Length / 4);
        await Task.CompletedTask;
    }
}
