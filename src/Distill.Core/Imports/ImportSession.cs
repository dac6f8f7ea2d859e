using System.Runtime.CompilerServices;
using Distill.Core.Datasets;

namespace Distill.Core.Imports;

/// <summary>
/// The state of one import of one format: turns each raw record into an <see cref="ImportRecord"/> (or a blank) and
/// keeps the summary's counts in step, so every record read is counted exactly once.
/// </summary>
internal abstract class ImportSession(ImportOptions options, ITokenEstimator tokens, ImportSummary summary)
{
    protected ImportOptions Options => options;

    protected ImportSummary Summary => summary;

    /// <summary>Reused for every record: the accepted path allocates no issue list.</summary>
    protected IssueCollector Issues { get; } = new();

    public abstract RecordBoundary Boundary { get; }

    /// <summary>Set when the file itself proved unusable part-way (a CSV header naming no chosen column): read no further.</summary>
    public bool Stopped { get; protected set; }

    /// <summary>The record's verdict, or null for a blank line or a header, which are not examples.</summary>
    public abstract ImportRecord? Read(in RawRecord raw);

    /// <summary>File-level checks once the input is exhausted.</summary>
    public virtual void Finish()
    {
        if (summary.FileIssues.Count == 0 && summary.RecordsRead == summary.Blank)
        {
            summary.AddFileIssue(new ImportIssue(0, "", "the file has only blank lines"));
        }
    }

    protected ImportRecord? Blank()
    {
        summary.RecordsRead++;
        summary.Blank++;
        return null;
    }

    protected RejectedRecord Reject(in RawRecord raw, ImportIssue[] issues)
    {
        summary.RecordsRead++;
        summary.Rejected++;
        var (excerpt, truncated) = Excerpts.Of(raw.Bytes.Span, raw.IsWhole, options.ExcerptBytes);
        return new RejectedRecord(raw.Line, issues, excerpt, truncated);
    }

    /// <summary>Applies the rules every format shares, then accepts the record only if nothing at all was found wrong.</summary>
    protected ImportRecord Conclude(in RawRecord raw, in MappedExample mapped)
    {
        ConversationRules.Check(mapped.Messages, mapped.Paths, mapped.ReplyField, options.RequireAssistantReply, Issues);
        // With no issue recorded, no message is null (a reader records why whenever it gives none back).
        var example = new ExampleRecord(Issues.Any ? Readable(mapped.Messages) : Unsafe.As<ExampleMessage[]>(mapped.Messages), mapped.Metadata);
        var estimate = tokens.EstimateTokens(example);
        if (options.MaxEstimatedTokens is { } limit && estimate > limit)
        {
            Issues.Add("", $"an estimated {estimate} tokens, over the limit of {limit}");
        }

        if (Issues.Any)
        {
            return Reject(raw, Issues.ToArray());
        }

        summary.RecordsRead++;
        summary.Accepted++;
        return new AcceptedRecord(raw.Line, example, estimate);
    }

    /// <summary>Whitespace only, in JSON's sense; a final CR of a CRLF file is already gone.</summary>
    protected static bool IsBlank(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept(" \t\r"u8) < 0;

    private static List<ExampleMessage> Readable(ExampleMessage?[] messages)
    {
        var readable = new List<ExampleMessage>(messages.Length);
        foreach (var message in messages)
        {
            if (message is not null)
            {
                readable.Add(message);
            }
        }

        return readable;
    }
}
