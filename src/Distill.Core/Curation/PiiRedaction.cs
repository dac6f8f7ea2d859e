using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>Redacts personal data in every example; nothing is removed, and unchanged examples keep their record.</summary>
public static class PiiRedaction
{
    public static CurationResult Run(IReadOnlyList<CurationItem> items, PiiRedactionParameters parameters, int maxDegreeOfParallelism = -1)
    {
        parameters.EnsureValid();
        var redactor = new PiiRedactor(parameters.EffectiveKinds);
        var redacted = new (CurationItem Item, Dictionary<PiiKind, int> Counts)[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, i =>
        {
            var counts = new Dictionary<PiiKind, int>();
            var record = Redact(items[i].Record, redactor, parameters.IncludeToolArguments, counts);
            redacted[i] = (ReferenceEquals(record, items[i].Record) ? items[i] : items[i] with { Record = record }, counts);
        });

        var result = new CurationResultBuilder(parameters.Operation, items.Count);
        foreach (var kind in parameters.EffectiveKinds)
        {
            result.SetTally(kind.TallyName(), 0);
        }

        result.SetTally("redacted_examples", 0);
        foreach (var (item, counts) in redacted)
        {
            result.Keep(item);
            foreach (var (kind, count) in counts)
            {
                result.Tally(kind.TallyName(), count);
            }

            if (counts.Count > 0)
            {
                result.Tally("redacted_examples");
            }
        }

        return result.Build();
    }

    /// <summary>The record with its messages redacted; the same instance when there was nothing to redact.</summary>
    public static ExampleRecord Redact(ExampleRecord record, PiiRedactor redactor, bool includeToolArguments, IDictionary<PiiKind, int> counts)
    {
        var changed = false;
        var messages = new ExampleMessage[record.Messages.Count];
        for (var m = 0; m < messages.Length; m++)
        {
            var message = record.Messages[m];
            var content = message.Content is null ? null : Apply(redactor.Redact(message.Content), counts);
            var calls = message.ToolCalls;
            if (includeToolArguments && calls is { Count: > 0 })
            {
                var redactedCalls = calls.Select(c => c with { Arguments = Apply(redactor.Redact(c.Arguments), counts) }).ToArray();
                if (redactedCalls.Where((c, i) => !ReferenceEquals(c.Arguments, calls[i].Arguments)).Any())
                {
                    calls = redactedCalls;
                }
            }

            messages[m] = ReferenceEquals(content, message.Content) && ReferenceEquals(calls, message.ToolCalls)
                ? message
                : message with { Content = content, ToolCalls = calls };
            changed |= !ReferenceEquals(messages[m], message);
        }

        return changed ? record with { Messages = messages } : record;
    }

    private static string Apply(RedactedText redacted, IDictionary<PiiKind, int> counts)
    {
        foreach (var (kind, count) in redacted.Counts)
        {
            counts[kind] = counts.TryGetValue(kind, out var before) ? before + count : count;
        }

        return redacted.Text;
    }
}
