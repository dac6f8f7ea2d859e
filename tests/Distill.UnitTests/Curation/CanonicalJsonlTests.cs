using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Distill.Core.Curation;
using Distill.Core.Datasets;

namespace Distill.UnitTests.Curation;

public sealed class CanonicalJsonlTests
{
    private static readonly ExampleRecord WithTools = new(
        [
            new ExampleMessage(ExampleMessage.System, "Be brief."),
            new ExampleMessage(ExampleMessage.User, "Weather in \"Paris\"?\n", Name: "ana"),
            new ExampleMessage(ExampleMessage.Assistant, null, ToolCalls: [new ExampleToolCall("call_1", "weather", "{\"city\":\"Paris\"}")]),
            new ExampleMessage(ExampleMessage.Tool, "18°C", ToolCallId: "call_1"),
            new ExampleMessage(ExampleMessage.Assistant, "18°C in Paris.", Weight: 1),
        ],
        Examples.Meta(("source", "capture"), ("app", "web")));

    [Fact]
    public void A_record_is_written_with_a_fixed_layout()
    {
        Assert.Equal(
            "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Weather in \\\"Paris\\\"?\\n\",\"name\":\"ana\"}," +
            "{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"call_1\",\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}]}," +
            "{\"role\":\"tool\",\"content\":\"18°C\",\"tool_call_id\":\"call_1\"},{\"role\":\"assistant\",\"content\":\"18°C in Paris.\",\"weight\":1}]," +
            "\"metadata\":{\"app\":\"web\",\"source\":\"capture\"},\"split\":\"train\"}",
            CanonicalJsonl.Line(WithTools, DatasetSplits.Train));
    }

    [Fact]
    public void A_line_reads_back_as_the_same_record()
    {
        var line = CanonicalJsonl.Line(WithTools);
        var read = JsonSerializer.Deserialize<ExampleRecord>(line)!;

        Assert.Equal(line, CanonicalJsonl.Line(read));
        Assert.Equal("{\"city\":\"Paris\"}", read.Messages[2].ToolCalls![0].Arguments);
    }

    [Fact]
    public void Control_characters_line_separators_and_lone_surrogates_are_written_safely()
    {
        var record = Examples.Chat("tab\there\u0001\u2028end", "bad \ud800 pair, good 😀");
        var line = CanonicalJsonl.Line(record);

        Assert.Contains("tab\\there\\u0001\\u2028end", line);
        Assert.Contains("bad \uFFFD pair, good 😀", line);
        Assert.DoesNotContain('\n', line);
        using var _ = JsonDocument.Parse(line);
    }

    [Fact]
    public void Reordering_metadata_keys_does_not_change_the_hash_and_one_character_does()
    {
        var forward = new Dictionary<string, string> { ["a"] = "1", ["B"] = "2", ["c"] = "3" };
        var backward = new Dictionary<string, string> { ["c"] = "3", ["B"] = "2", ["a"] = "1" };
        CurationItem[] Version(IReadOnlyDictionary<string, string> metadata, string answer) =>
        [
            Examples.Item(1, Examples.Chat("What is 2 + 2?", answer, metadata)),
            Examples.Item(2, WithTools, DatasetSplits.Test),
        ];

        var hash = DatasetContentHash.Of(Version(forward, "4"));

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(hash, DatasetContentHash.Of(Version(backward, "4")));
        Assert.NotEqual(hash, DatasetContentHash.Of(Version(forward, "5")));
        Assert.NotEqual(hash, DatasetContentHash.Of(Version(forward, "4").Reverse()));
        Assert.NotEqual(hash, DatasetContentHash.Of([Version(forward, "4")[0], Version(forward, "4")[1] with { Split = DatasetSplits.Validation }]));
    }

    [Fact]
    public void The_hash_is_the_sha256_of_the_version_written_as_one_jsonl_file_and_can_be_built_incrementally()
    {
        var items = Enumerable.Range(1, 50).Select(i => Examples.Item(i, $"question {i}", $"answer {i}")).ToList();
        var file = string.Concat(items.Select(i => CanonicalJsonl.Line(i.Record, i.Split) + "\n"));

        using var incremental = new DatasetContentHash();
        foreach (var item in items)
        {
            incremental.Append(item.Record, item.Split);
        }

        Assert.Equal(50, incremental.Count);
        var hash = incremental.Finish();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(file))), hash);
        Assert.Equal(hash, DatasetContentHash.Of(items));
    }

    [Fact]
    public void Empty_metadata_and_missing_metadata_are_the_same_content() =>
        Assert.Equal(
            CanonicalJsonl.ContentHash(new ExampleRecord([new ExampleMessage(ExampleMessage.User, "hi")], ExampleRecord.NoMetadata)),
            CanonicalJsonl.ContentHash(new ExampleRecord([new ExampleMessage(ExampleMessage.User, "hi", ToolCalls: [])], new Dictionary<string, string>())));
}
