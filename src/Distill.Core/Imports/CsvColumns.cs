namespace Distill.Core.Imports;

/// <summary>The chosen columns' positions in the header; -1 for a column not chosen.</summary>
internal sealed record CsvColumns(int Prompt, int Completion, int System, IReadOnlyList<(string Name, int Index)> Metadata)
{
    private static readonly char[] LikelyDelimiters = [',', ';', '\t', '|'];

    /// <returns>The positions, or null with every problem of the choice in <paramref name="problems"/>.</returns>
    public static CsvColumns? Resolve(IReadOnlyList<string> header, CsvImportOptions csv, bool requireReply, List<string> problems)
    {
        var prompt = Find(header, csv.PromptColumn, csv.Delimiter, problems);
        var completion = csv.CompletionColumn is null ? -1 : Find(header, csv.CompletionColumn, csv.Delimiter, problems);
        var system = csv.SystemColumn is null ? -1 : Find(header, csv.SystemColumn, csv.Delimiter, problems);
        var metadata = new List<(string, int)>(csv.MetadataColumns.Count);
        foreach (var name in csv.MetadataColumns)
        {
            metadata.Add((name.Trim(), Find(header, name, csv.Delimiter, problems)));
        }

        if (requireReply && csv.CompletionColumn is null)
        {
            problems.Add("training data needs a completion column; choose one");
        }

        return problems.Count > 0 ? null : new CsvColumns(prompt, completion, system, metadata);
    }

    private static int Find(IReadOnlyList<string> header, string column, char delimiter, List<string> problems)
    {
        var name = column.Trim();
        var found = -1;
        var count = 0;
        for (var i = 0; i < header.Count; i++)
        {
            if (header[i] == name)
            {
                found = found < 0 ? i : found;
                count++;
            }
        }

        if (count == 1)
        {
            return found;
        }

        problems.Add(count > 1
            ? $"the header has {count} columns named {JsonKinds.Shown(name)}; rename all but one"
            : $"no column {JsonKinds.Shown(name)} in the header; the columns are: {string.Join(", ", header)}{DelimiterHint(header, delimiter)}");
        return -1;
    }

    /// <summary>A header read as one column usually means the file uses another delimiter than the one chosen.</summary>
    private static string DelimiterHint(IReadOnlyList<string> header, char delimiter)
    {
        if (header.Count != 1)
        {
            return "";
        }

        foreach (var candidate in LikelyDelimiters)
        {
            if (candidate != delimiter && header[0].Contains(candidate, StringComparison.Ordinal))
            {
                return $" (the header reads as one column: is the delimiter {(candidate == '\t' ? "a tab" : $"'{candidate}'")}?)";
            }
        }

        return "";
    }
}
