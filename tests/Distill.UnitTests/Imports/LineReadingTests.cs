using System.Text;
using Distill.Core.Imports;
using static Distill.UnitTests.Imports.ImportKit;

namespace Distill.UnitTests.Imports;

/// <summary>How the bytes of a JSONL upload become lines: encodings, line endings, limits, and cut-off files.</summary>
public sealed class LineReadingTests
{
    private static readonly string Good = ChatLine(User("Hi"), Assistant("Hello!"));

    [Fact]
    public void Invalid_utf8_names_the_line_and_byte_and_spares_the_other_lines()
    {
        var bad = Encoding.UTF8.GetBytes(ChatLine(User("caf_"), Assistant("ok")));
        bad[Array.IndexOf(bad, (byte)'_')] = 0xE9; // "café" as Windows-1252 writes it
        var bytes = Concat(Encoding.UTF8.GetBytes(Good + "\n"), bad, "\n"u8.ToArray(), Encoding.UTF8.GetBytes(Good + "\n"));

        var (records, summary) = Import(bytes);

        var rejected = Assert.IsType<RejectedRecord>(records[1]);
        var column = Array.IndexOf(bad, (byte)0xE9) + 1;
        Assert.Equal([$"line 2: invalid UTF-8 at byte {column}"], rejected.Issues.Select(i => i.Message));
        Assert.Equal((3, 2, 1, 0), (summary.RecordsRead, summary.Accepted, summary.Rejected, summary.Blank));
        Assert.Contains("caf\uFFFD", rejected.RawExcerpt);
    }

    [Fact]
    public void A_50_MB_line_is_rejected_and_skipped_without_being_held_in_memory()
    {
        var line = Encoding.UTF8.GetBytes(Good + "\n");
        var filler = new byte[64 * 1024];
        filler.AsSpan().Fill((byte)'a');
        // This thread's count: the importer runs on it, and tests running in parallel do not disturb it.
        var before = GC.GetAllocatedBytesForCurrentThread();

        var (records, summary) = Import(new GeneratedStream(
            (line, 1),
            (Encoding.UTF8.GetBytes("""{"messages":[{"role":"user","content":" """), 1),
            (filler, 800), // 50 MiB
            (Encoding.UTF8.GetBytes("\"}]}\n"), 1),
            (line, 1)));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var rejected = Assert.IsType<RejectedRecord>(records[1]);
        Assert.Equal(["line 2 is longer than the 8 MiB limit"], rejected.Issues.Select(i => i.Message));
        Assert.True(rejected.ExcerptIsTruncated);
        Assert.StartsWith("""{"messages":[{"role":"user","content":" aaaa""", rejected.RawExcerpt);
        Assert.Equal(3, records[2].Line);
        Assert.Equal((3, 2, 1), (summary.RecordsRead, summary.Accepted, summary.Rejected));
        Assert.True(allocated < 20 * 1024 * 1024, $"allocated {allocated / (1024 * 1024)} MiB for a 50 MiB line");
    }

    [Fact]
    public void A_line_over_a_small_limit_is_skipped_even_when_the_read_buffer_could_hold_it()
    {
        var options = Chat with { MaxLineBytes = 100 };
        var (records, summary) = Import($"{Good}\n{ChatLine(User(new string('x', 200)))}\n{Good}\n", options);

        Assert.Equal(["line 2 is longer than the 100 bytes limit"], Assert.IsType<RejectedRecord>(records[1]).Issues.Select(i => i.Message));
        Assert.Equal(2, summary.Accepted);
    }

    [Fact]
    public void A_file_cut_inside_the_last_json_value_says_the_upload_may_be_truncated()
    {
        var cut = ChatLine(User("Tell me a story"), Assistant("Once upon a time"))[..^12];

        var (records, summary) = Import($"{Good}\n{Good}\n{cut}");

        var rejected = Assert.IsType<RejectedRecord>(records[2]);
        Assert.Equal(["line 3: the file ends inside a JSON value; was the upload truncated?"], rejected.Issues.Select(i => i.Message));
        Assert.Equal((2, 1), (summary.Accepted, summary.Rejected));
    }

    [Fact]
    public void A_file_cut_inside_a_utf8_character_says_the_upload_may_be_truncated()
    {
        var bytes = Encoding.UTF8.GetBytes($"{Good}\n{{\"messages\":[{{\"role\":\"user\",\"content\":\"日本");

        var (records, _) = Import(bytes[..^1]);

        Assert.Equal(["line 2: the file ends inside a UTF-8 character; was the upload truncated?"],
            Assert.IsType<RejectedRecord>(records[1]).Issues.Select(i => i.Message));
    }

    [Fact]
    public void A_value_split_over_lines_in_the_middle_of_the_file_is_not_called_truncation()
    {
        var (records, _) = Import($"{{\"messages\": [\n{Good}\n");

        Assert.Equal(["line 1: the line ends inside a JSON value; JSONL needs each value on one line (is this pretty-printed JSON?)"],
            Assert.IsType<RejectedRecord>(records[0]).Issues.Select(i => i.Message));
    }

    [Fact]
    public void A_last_line_without_a_final_newline_is_fine()
    {
        var (records, summary) = Import($"{Good}\n{Good}");

        Assert.All(records, r => Assert.IsType<AcceptedRecord>(r));
        Assert.Equal((2, 2), (summary.LinesRead, summary.Accepted));
    }

    [Fact]
    public void Malformed_json_names_the_byte()
    {
        var (records, _) = Import("{\"messages\": [}\n");

        var message = Assert.Single(Assert.IsType<RejectedRecord>(Assert.Single(records)).Issues).Message;
        Assert.StartsWith("line 1: invalid JSON at byte 15: ", message);
    }

    [Fact]
    public void A_utf8_bom_at_the_start_is_skipped()
    {
        var (records, summary) = Import(Concat([0xEF, 0xBB, 0xBF], Encoding.UTF8.GetBytes($"{Good}\n{Good}\n")));

        Assert.Equal(2, summary.Accepted);
        Assert.Equal(1, records[0].Line);
    }

    [Fact]
    public void A_bom_in_the_middle_of_the_file_is_named()
    {
        var (records, summary) = Import(Concat(Encoding.UTF8.GetBytes($"{Good}\n"), [0xEF, 0xBB, 0xBF], Encoding.UTF8.GetBytes($"{Good}\n")));

        Assert.Equal(["line 2: starts with a UTF-8 byte order mark (EF BB BF), which belongs only at the start of a file; were files joined together?"],
            Assert.IsType<RejectedRecord>(records[1]).Issues.Select(i => i.Message));
        Assert.Equal(1, summary.Accepted);
    }

    [Theory]
    [InlineData("utf-16", "the file is UTF-16 (BOM FF FE); save it as UTF-8")]
    [InlineData("utf-16BE", "the file is UTF-16 (BOM FE FF); save it as UTF-8")]
    [InlineData("utf-32", "the file is UTF-32 (BOM FF FE 00 00); save it as UTF-8")]
    public void A_utf16_or_utf32_file_is_refused_as_a_whole(string encoding, string expected)
    {
        var text = Encoding.GetEncoding(encoding);
        var (records, summary) = Import(Concat(text.GetPreamble(), text.GetBytes($"{Good}\n")));

        Assert.Empty(records);
        Assert.Equal([expected], summary.FileIssues.Select(i => i.Message));
        Assert.Equal(0, summary.RecordsRead);
        Assert.False(summary.Succeeded(BadLinePolicy.Quarantine));
    }

    [Fact]
    public void A_utf16_file_without_a_bom_is_recognised()
    {
        var (_, summary) = Import(Encoding.Unicode.GetBytes($"{Good}\n"));

        Assert.Equal(["the file looks like UTF-16 without a byte order mark (NUL bytes between characters); save it as UTF-8"],
            summary.FileIssues.Select(i => i.Message));
    }

    [Fact]
    public void A_compressed_upload_is_named_as_such()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes($"{Good}\n"));
        }

        var (_, summary) = Import(compressed.ToArray());

        Assert.Equal(["the file is gzip-compressed; decompress it and upload the JSONL or CSV inside"], summary.FileIssues.Select(i => i.Message));
    }

    [Fact]
    public void Crlf_line_endings_read_exactly_like_lf()
    {
        var lines = new[] { Good, "", ChatLine(User("a\r\nb"), Assistant("c")), "{oops", Good };

        var (lf, lfSummary) = Import(string.Join("\n", lines) + "\n");
        var (crlf, crlfSummary) = Import(string.Join("\r\n", lines) + "\r\n");

        Assert.Equal(Describe(lf), Describe(crlf));
        Assert.Equal((5, 3, 1, 1), (crlfSummary.RecordsRead, crlfSummary.Accepted, crlfSummary.Rejected, crlfSummary.Blank));
        Assert.Equal(lfSummary.LinesRead, crlfSummary.LinesRead);
        Assert.Equal("a\r\nb", Assert.IsType<AcceptedRecord>(crlf[1]).Example.Messages[0].Content);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var (records, summary) = Import([]);

        Assert.Empty(records);
        Assert.Equal(["the file is empty"], summary.FileIssues.Select(i => i.Message));
        Assert.False(summary.Succeeded(BadLinePolicy.Quarantine));
    }

    [Fact]
    public void A_file_of_only_a_bom_is_empty()
    {
        var (_, summary) = Import([0xEF, 0xBB, 0xBF]);

        Assert.Equal(["the file is empty"], summary.FileIssues.Select(i => i.Message));
    }

    [Fact]
    public void Blank_lines_are_counted_as_ignored_and_keep_line_numbers()
    {
        var (records, summary) = Import($"\n{Good}\n   \n\t\n{Good}\n\n");

        Assert.Equal([2L, 5L], records.Select(r => r.Line));
        Assert.Equal((6, 2, 0, 4), (summary.RecordsRead, summary.Accepted, summary.Rejected, summary.Blank));
        Assert.True(summary.Succeeded(BadLinePolicy.RejectImport));
    }

    [Fact]
    public void A_file_of_only_blank_lines_is_refused()
    {
        var (_, summary) = Import("\n  \n\n");

        Assert.Equal(["the file has only blank lines"], summary.FileIssues.Select(i => i.Message));
        Assert.Equal(3, summary.Blank);
    }

    [Fact]
    public void A_json_array_file_is_told_apart_from_jsonl()
    {
        var (records, _) = Import($"[{Good},{Good}]\n");

        Assert.Equal(["line 1: expected one JSON object per line, got an array (is this a JSON array file rather than JSONL?)"],
            Assert.IsType<RejectedRecord>(Assert.Single(records)).Issues.Select(i => i.Message));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    public void Reads_of_any_size_give_the_same_records(int readSize)
    {
        var lines = string.Join("\r\n", Good, "", ChatLine(User(new string('é', 300)), Assistant("x")), "{bad", Good + "  ");
        var bytes = Concat([0xEF, 0xBB, 0xBF], Encoding.UTF8.GetBytes(lines));
        var options = Chat with { ChunkBytes = 16, MaxLineBytes = 1000 };

        var (whole, _) = Import(bytes, options);
        var (trickled, summary) = Import(bytes, options, readSize);

        Assert.Equal(Describe(whole), Describe(trickled));
        Assert.Equal((5, 3, 1, 1), (summary.RecordsRead, summary.Accepted, summary.Rejected, summary.Blank));
        Assert.Equal(bytes.Length, summary.BytesRead);
    }

    [Fact]
    public async Task Reading_asynchronously_gives_the_same_records()
    {
        var bytes = Encoding.UTF8.GetBytes($"{Good}\n\n{{bad\n{Good}");
        var summary = new ImportSummary();
        var records = new List<ImportRecord>();
        await foreach (var record in new ExampleImporter(Chat).ReadAsync(new TrickleStream(bytes, 5), summary))
        {
            records.Add(record);
        }

        AssertBalanced(records, summary);
        Assert.Equal(Describe(Import(bytes).Records), Describe(records));
    }

    internal static string[] Describe(IEnumerable<ImportRecord> records) => records.Select(r => r switch
    {
        AcceptedRecord a => $"{a.Line} ok {a.EstimatedTokens} {System.Text.Json.JsonSerializer.Serialize(a.Example)}",
        RejectedRecord x => $"{x.Line} bad {string.Join(" | ", x.Issues.Select(i => i.Message))}",
        _ => throw new InvalidOperationException(),
    }).ToArray();

    internal static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
