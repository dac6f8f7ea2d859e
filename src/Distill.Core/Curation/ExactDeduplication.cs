using System.Security.Cryptography;
using System.Text;
using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>Removes examples whose normalised text equals that of an example with a lower id.</summary>
public static class ExactDeduplication
{
    /// <summary>
    /// One line per message, "role: content", case-folded, whitespace runs collapsed to one space, trimmed. Collapsing
    /// makes a newline an ordinary space, so the line breaks between messages cannot be forged by content.
    /// Tool calls follow their message's content as "name arguments".
    /// </summary>
    public static string NormalizedText(ExampleRecord record, TextScope scope = TextScope.Example)
    {
        var text = new StringBuilder();
        foreach (var message in ExampleText.Messages(record, scope))
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            var line = new StringBuilder(message.Role).Append(": ").Append(message.Content);
            foreach (var call in message.ToolCalls ?? [])
            {
                line.Append(' ').Append(call.Name).Append(' ').Append(call.Arguments);
            }

            AppendFolded(text, line.ToString());
        }

        return text.ToString();
    }

    /// <summary>The lowercase hex sha256 of <see cref="NormalizedText"/>: what two exact duplicates share.</summary>
    public static string Fingerprint(ExampleRecord record, TextScope scope = TextScope.Example) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(NormalizedText(record, scope))));

    public static CurationResult Run(IReadOnlyList<CurationItem> items, ExactDedupParameters parameters, int maxDegreeOfParallelism = -1)
    {
        parameters.EnsureValid();
        var fingerprints = new string[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, i => fingerprints[i] = Fingerprint(items[i].Record, parameters.Scope));

        var keeper = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            if (!keeper.TryGetValue(fingerprints[i], out var kept) || items[i].Id < items[kept].Id)
            {
                keeper[fingerprints[i]] = i;
            }
        }

        var result = new CurationResultBuilder(parameters.Operation, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var kept = keeper[fingerprints[i]];
            if (kept == i)
            {
                result.Keep(items[i]);
            }
            else
            {
                result.Remove(new CurationRemoval(items[i].Id, CurationReasons.ExactDuplicate, items[kept].Id));
            }
        }

        result.SetTally("distinct", keeper.Count);
        return result.Build();
    }

    private static void AppendFolded(StringBuilder text, string line)
    {
        var pendingSpace = false;
        var start = text.Length;
        foreach (var c in line)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = text.Length > start;
                continue;
            }

            if (pendingSpace)
            {
                text.Append(' ');
                pendingSpace = false;
            }

            text.Append(char.ToLowerInvariant(c));
        }
    }
}
