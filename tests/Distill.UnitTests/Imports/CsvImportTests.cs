using System.Text;
using Distill.Core.Imports;
using static Distill.UnitTests.Imports.ImportKit;

namespace Distill.UnitTests.Imports;

/// <summary>RFC 4180 CSV with user-chosen columns.</summary>
public sealed class CsvImportTests
{
    private static readonly ImportOptions Options = new(ImportFormat.Csv)
    {
        Csv = new CsvImportOptions("question") { CompletionColumn = "answer", SystemColumn = "system", MetadataColumns = ["id", "topic"] },
    };

    [Fact]
    public void Quoted_fields_keep_embedded_newlines_delimiters_and_doubled_quotes()
    {
        const string csv =
            "id,system,question,answer,topic\r\n" +
            "1,,\"What does \"\"CSV\"\" stand for?\",\"Comma-separated\r\nvalues, mostly\",formats\r\n" +
            "2,Be terse.,\"Line one\nline two\",Yes,\r\n" +
            "3,,Plain,\"\",misc\r\n";

        var (records, summary) = Import(csv, Options);

        var first = Assert.IsType<AcceptedRecord>(records[0]);
        Assert.Equal([("user", "What does \"CSV\" stand for?"), ("assistant", "Comma-separated\nvalues, mostly")],
            first.Example.Messages.Select(m => (m.Role, m.Content!)));
        Assert.Equal(new Dictionary<string, string> { ["id"] = "1", ["topic"] = "formats" }, first.Example.Metadata.ToDictionary());

        var second = Assert.IsType<AcceptedRecord>(records[1]);
        Assert.Equal(4, second.Line); // the header is line 1 and the quoted field of record 1 took lines 2 and 3
        Assert.Equal(["system", "user", "assistant"], second.Example.Messages.Select(m => m.Role));
        Assert.Equal("Line one\nline two", second.Example.Messages[1].Content);
        Assert.Equal(new Dictionary<string, string> { ["id"] = "2" }, second.Example.Metadata.ToDictionary());

        Assert.Equal(6, records[2].Line);
        Assert.Equal(["user"], Assert.IsType<AcceptedRecord>(records[2]).Example.Messages.Select(m => m.Role));
        Assert.Equal((3, 3, 6), (summary.RecordsRead, summary.Accepted, summary.LinesRead));
    }

    [Fact]
    public void An_unknown_column_is_named_with_the_columns_there_are()
    {
        var (records, summary) = Import("id,prompt,response\n1,a,b\n", Options);

        Assert.Empty(records);
        Assert.Equal([
            "line 1: no column 'question' in the header; the columns are: id, prompt, response",
            "line 1: no column 'answer' in the header; the columns are: id, prompt, response",
            "line 1: no column 'system' in the header; the columns are: id, prompt, response",
            "line 1: no column 'topic' in the header; the columns are: id, prompt, response",
        ], summary.FileIssues.Select(i => i.Message));
        Assert.False(summary.Succeeded(BadLinePolicy.Quarantine));
    }

    [Fact]
    public void A_header_read_as_one_column_suggests_the_delimiter()
    {
        var options = new ImportOptions(ImportFormat.Csv) { Csv = new CsvImportOptions("prompt") };

        var (_, summary) = Import("id;prompt\n1;a\n", options);

        Assert.Equal(["line 1: no column 'prompt' in the header; the columns are: id;prompt (the header reads as one column: is the delimiter ';'?)"],
            summary.FileIssues.Select(i => i.Message));
    }

    [Fact]
    public void A_chosen_delimiter_is_used()
    {
        var options = new ImportOptions(ImportFormat.Csv) { Csv = new CsvImportOptions("prompt") { Delimiter = '\t', CompletionColumn = "completion" } };

        var accepted = Assert.IsType<AcceptedRecord>(Assert.Single(Import("prompt\tcompletion\nHi, you\tHello\n", options).Records));

        Assert.Equal("Hi, you", accepted.Example.Messages[0].Content);
    }

    [Fact]
    public void Ragged_rows_and_bad_quoting_are_rejected_row_by_row()
    {
        const string csv = "id,system,question,answer,topic\n1,,q,a\n2,,say \"hi\",a,t\n3,,\"q\"x,a,t\n4,,q,a,t\n";

        var (records, summary) = Import(csv, Options);

        Assert.Equal([
            ["line 2: the row has 4 fields; the header has 5"],
            ["line 3: question: a quote inside a field that is not quoted; quote the whole field and double the quotes inside it"],
            ["line 4: question: text after the closing quote; a quoted field must end at a delimiter or the end of the row"],
        ], records.OfType<RejectedRecord>().Select(r => r.Issues.Select(i => i.Message).ToArray()));
        Assert.Equal((4, 1, 3), (summary.RecordsRead, summary.Accepted, summary.Rejected));
    }

    [Fact]
    public void Empty_prompts_and_missing_replies_name_their_columns()
    {
        var options = Options with { RequireAssistantReply = true };

        var (records, _) = Import("id,system,question,answer,topic\n1,,  ,,t\n", options);

        Assert.Equal(["line 2: question: empty", "line 2: answer: empty; training data needs the reply to learn from"],
            Assert.IsType<RejectedRecord>(Assert.Single(records)).Issues.Select(i => i.Message));
    }

    [Fact]
    public void Training_data_needs_a_completion_column()
    {
        var options = new ImportOptions(ImportFormat.Csv) { RequireAssistantReply = true, Csv = new CsvImportOptions("prompt") };

        var (_, summary) = Import("prompt\nHi\n", options);

        Assert.Equal(["line 1: training data needs a completion column; choose one"], summary.FileIssues.Select(i => i.Message));
    }

    [Fact]
    public void Blank_rows_are_ignored_and_a_header_alone_is_refused()
    {
        var (records, summary) = Import("\nid,system,question,answer,topic\n\n,,,,\n1,,q,a,t\n", Options);
        Assert.Equal(5, Assert.Single(records).Line);
        Assert.Equal((4, 1, 3), (summary.RecordsRead, summary.Accepted, summary.Blank));

        var (_, headerOnly) = Import("id,system,question,answer,topic\r\n", Options);
        Assert.Equal(["the file has a header row but no data rows"], headerOnly.FileIssues.Select(i => i.Message));
    }

    [Fact]
    public void A_file_cut_inside_a_quoted_field_says_the_upload_may_be_truncated()
    {
        var (records, _) = Import("id,system,question,answer,topic\n1,,q,\"The answer is", Options);

        Assert.Equal(["line 2: the file ends inside a quoted field that starts on this line; was the upload truncated?"],
            Assert.IsType<RejectedRecord>(Assert.Single(records)).Issues.Select(i => i.Message));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Reads_of_any_size_give_the_same_rows(int readSize)
    {
        var bytes = Encoding.UTF8.GetBytes("\uFEFFid,system,question,answer,topic\r\n1,,\"a \"\"quoted\"\"\r\nquestion\",\"x,y\",t\r\n2,,q\",a,t\r\n3,,q,a,t");
        var options = Options with { ChunkBytes = 16 };

        var (whole, _) = Import(bytes, options);
        var (trickled, summary) = Import(bytes, options, readSize);

        Assert.Equal(LineReadingTests.Describe(whole), LineReadingTests.Describe(trickled));
        Assert.Equal([2L, 4L, 5L], trickled.Select(r => r.Line));
        Assert.Equal((3, 2, 1), (summary.RecordsRead, summary.Accepted, summary.Rejected));
    }

    [Fact]
    public void An_over_long_quoted_record_is_skipped_to_its_true_end()
    {
        var options = Options with { MaxLineBytes = 64, ChunkBytes = 16 };
        var csv = $"id,system,question,answer,topic\n1,,\"{string.Join("\n", Enumerable.Repeat("long line", 20))}\",a,t\n2,,q,a,t\n";

        var (records, _) = Import(csv, options);

        Assert.Equal(["line 2 is longer than the 64 bytes limit"], Assert.IsType<RejectedRecord>(records[0]).Issues.Select(i => i.Message));
        Assert.Equal(22, Assert.IsType<AcceptedRecord>(records[1]).Line);
    }
}
