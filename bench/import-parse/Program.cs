using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Distill.Core.Imports;

// How fast the chat JSONL importer turns 1M typical lines (system + user + assistant, about 600 bytes, metadata) into
// accepted records. The bytes come from memory, repeating 1,000 distinct lines, so the figure is the parser's and not
// the disk's. The Worker's goal is an import at half the speed of a raw Postgres COPY of the same rows or better; this
// is the parse side of that budget. Run 3 times each way; the median counts.
var lines = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
const int Distinct = 1000;
var block = TypicalLines.Create(Distinct, seed: 1);
var repeats = lines / Distinct;
var total = (long)block.Length * repeats;
Console.WriteLine($"{repeats * Distinct} lines, {total / 1e6:F0} MB, {block.Length / (double)Distinct:F0} bytes per line on average");

var importer = new ExampleImporter(new ImportOptions(ImportFormat.ChatMessages) { RequireAssistantReply = true, MaxEstimatedTokens = 4096 });
var results = new Dictionary<string, double>();
foreach (var mode in new[] { "sync", "async" })
{
    Measure(mode, 1); // warm up the JIT and the pools
    var runs = Enumerable.Range(0, 3).Select(_ => Measure(mode, repeats)).OrderBy(r => r.LinesPerSecond).ToList();
    var median = runs[1];
    Console.WriteLine($"{mode}: runs {string.Join(", ", runs.Select(r => r.LinesPerSecond.ToString("N0", CultureInfo.InvariantCulture)))} lines/s; "
        + $"{median.BytesPerSecond / 1e6:F0} MB/s; {median.LinesPerCpuSecond:N0} lines per CPU-second; {median.AllocatedPerLine:F0} bytes allocated per line");
    results[$"import_parse_lines_per_s_{mode}"] = median.LinesPerSecond;
    results[$"import_parse_lines_per_cpu_s_{mode}"] = median.LinesPerCpuSecond;
    results[$"import_parse_mb_per_s_{mode}"] = median.BytesPerSecond / 1e6;
    results[$"import_parse_allocated_bytes_per_line_{mode}"] = median.AllocatedPerLine;
}

results["import_long_line_50mib_allocated_mib"] = LongLineAllocation() / (1024.0 * 1024);
foreach (var (name, value) in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}={value:F1}"));
}

Result Measure(string mode, int times)
{
    var summary = new ImportSummary();
    var stream = new RepeatingStream(block, times);
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    long tokens = 0;
    if (mode == "sync")
    {
        foreach (var record in importer.Read(stream, summary))
        {
            tokens += ((AcceptedRecord)record).EstimatedTokens;
        }
    }
    else
    {
        Task.Run(async () =>
        {
            await foreach (var record in importer.ReadAsync(stream, summary))
            {
                tokens += ((AcceptedRecord)record).EstimatedTokens;
            }
        }).GetAwaiter().GetResult();
    }

    var seconds = clock.Elapsed.TotalSeconds;
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
    if (summary.Accepted != (long)Distinct * times || tokens == 0)
    {
        throw new InvalidOperationException($"Expected every line accepted: {summary}");
    }

    return new Result(summary.Accepted / seconds, summary.Accepted / cpuSeconds, summary.BytesRead / seconds, allocated / (double)summary.Accepted);
}

// What reading past one 50 MiB line costs, against the default 8 MiB limit: bounded by the limit, not the line.
static long LongLineAllocation()
{
    var head = """{"messages":[{"role":"user","content":" """u8.ToArray();
    var filler = new byte[64 * 1024];
    filler.AsSpan().Fill((byte)'a');
    var chunks = new List<byte[]> { head };
    chunks.AddRange(Enumerable.Repeat(filler, 800));
    chunks.Add("\"}]}\n"u8.ToArray());
    var importer = new ExampleImporter(new ImportOptions(ImportFormat.ChatMessages));
    var before = GC.GetTotalAllocatedBytes(precise: true);
    var summary = new ImportSummary();
    foreach (var _ in importer.Read(new ChunkStream(chunks), summary))
    {
    }

    return GC.GetTotalAllocatedBytes(precise: true) - before;
}

/// <param name="LinesPerCpuSecond">Lines per second of this process's CPU time (the GC's included): steadier than wall time
/// on a machine shared with other work.</param>
internal readonly record struct Result(double LinesPerSecond, double LinesPerCpuSecond, double BytesPerSecond, double AllocatedPerLine);

/// <summary>Lines like a support assistant's fine-tuning file: varied words, some non-ASCII, string metadata.</summary>
internal static class TypicalLines
{
    private static readonly string[] Words =
    [
        "the", "order", "invoice", "customer", "delivery", "refund", "account", "please", "thanks", "shipping", "address",
        "payment", "card", "week", "today", "update", "problem", "support", "number", "email", "résumé", "café", "naïve",
        "password", "reset", "link", "subscription", "plan", "upgrade", "cancel", "charge", "receipt", "tracking", "parcel",
    ];

    public static byte[] Create(int count, int seed)
    {
        var random = new Random(seed);
        var json = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var output = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var line = new
            {
                messages = new object[]
                {
                    new { role = "system", content = "You are a helpful support assistant for an online shop. Answer briefly." },
                    new { role = "user", content = Sentence(random, 14 + random.Next(10)) + "?" },
                    new { role = "assistant", content = Sentence(random, 24 + random.Next(16)) + "." },
                },
                metadata = new { source = "helpdesk", ticket = random.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture), lang = "en" },
            };
            output.Append(JsonSerializer.Serialize(line, json)).Append('\n');
        }

        return Encoding.UTF8.GetBytes(output.ToString());
    }

    private static string Sentence(Random random, int words)
    {
        var text = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            text.Append(i == 0 ? "" : " ").Append(Words[random.Next(Words.Length)]);
        }

        return text.ToString();
    }
}

/// <summary>The same block of bytes, again and again, without holding the whole file.</summary>
internal sealed class RepeatingStream(byte[] block, int times) : ChunkStream(Enumerable.Repeat(block, times));

internal class ChunkStream(IEnumerable<byte[]> chunks) : Stream
{
    private readonly IEnumerator<byte[]> _chunks = chunks.GetEnumerator();
    private byte[] _current = [];
    private int _offset;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length)
        {
            if (_offset == _current.Length)
            {
                if (!_chunks.MoveNext())
                {
                    break;
                }

                _current = _chunks.Current;
                _offset = 0;
                continue;
            }

            var n = Math.Min(buffer.Length - written, _current.Length - _offset);
            _current.AsSpan(_offset, n).CopyTo(buffer[written..]);
            written += n;
            _offset += n;
        }

        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
