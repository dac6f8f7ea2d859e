using Distill.Core.Curation;
using Distill.Core.Datasets;

namespace Distill.UnitTests.Curation;

/// <summary>Short ways to write the examples curation tests need.</summary>
internal static class Examples
{
    public static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static ExampleRecord Chat(string user, string assistant, IReadOnlyDictionary<string, string>? metadata = null, string? system = null)
    {
        var messages = new List<ExampleMessage>();
        if (system is not null)
        {
            messages.Add(new ExampleMessage(ExampleMessage.System, system));
        }

        messages.Add(new ExampleMessage(ExampleMessage.User, user));
        messages.Add(new ExampleMessage(ExampleMessage.Assistant, assistant));
        return new ExampleRecord(messages, metadata ?? ExampleRecord.NoMetadata);
    }

    public static CurationItem Item(long id, ExampleRecord record, string split = DatasetSplits.Train, DateTime? createdAt = null) =>
        new(id, record, split, createdAt ?? Epoch.AddMinutes(id));

    public static CurationItem Item(long id, string user, string assistant, string split = DatasetSplits.Train, IReadOnlyDictionary<string, string>? metadata = null) =>
        Item(id, Chat(user, assistant, metadata), split);

    public static Dictionary<string, string> Meta(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
