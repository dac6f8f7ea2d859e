using System.Text;
using System.Text.Json;
using Distill.Core.Imports;
using static Distill.UnitTests.Imports.ImportKit;

namespace Distill.UnitTests.Imports;

public sealed class QuarantineWriterTests
{
    [Fact]
    public void Rejected_records_are_written_as_jsonl_with_their_issues_and_raw_text()
    {
        var bad = ChatLine("""{"role":"bot","content":"héllo"}""");
        var (records, summary) = Import($"{ChatLine(User("ok"))}\n{bad}\n{{\"messages\": 3}}\n", Chat with { ExcerptBytes = 20 });
        using var output = new MemoryStream();

        using (var quarantine = new QuarantineWriter(output))
        {
            foreach (var rejected in records.OfType<RejectedRecord>())
            {
                quarantine.Write(rejected);
            }

            Assert.Equal(summary.Rejected, quarantine.Written);
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(
            """{"line":2,"issues":[{"field":"messages[0].role","reason":"unknown role 'bot'; expected system, developer, user, assistant or tool"}],"raw":"{\"messages\":[{\"role\"","raw_truncated":true}""",
            lines[0]);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(3, second.RootElement.GetProperty("line").GetInt32());
        Assert.Equal("messages", second.RootElement.GetProperty("issues")[0].GetProperty("field").GetString());
        Assert.Equal("{\"messages\": 3}", second.RootElement.GetProperty("raw").GetString());
        Assert.False(second.RootElement.TryGetProperty("raw_truncated", out _));
    }

    [Fact]
    public async Task Writing_asynchronously_flushes_everything_on_dispose()
    {
        var record = new RejectedRecord(7, [new ImportIssue(7, "", "invalid UTF-8 at byte 3")], "ab\uFFFD", ExcerptIsTruncated: false);
        using var output = new MemoryStream();

        await using (var quarantine = new QuarantineWriter(output))
        {
            for (var i = 0; i < 1000; i++)
            {
                await quarantine.WriteAsync(record);
            }
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1000, lines.Length);
        Assert.Equal("""{"line":7,"issues":[{"field":"","reason":"invalid UTF-8 at byte 3"}],"raw":"ab�"}""", lines[^1]);
    }
}
