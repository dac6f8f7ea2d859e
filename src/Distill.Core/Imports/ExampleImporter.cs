using System.Runtime.CompilerServices;

namespace Distill.Core.Imports;

/// <summary>
/// Reads an uploaded file as a stream of <see cref="ImportRecord"/>s, one per non-blank line (CSV: row), in order,
/// holding at most one record in memory. Pure: it neither stores examples nor writes the quarantine file; the caller
/// inserts accepted records as they come, and decides with <see cref="ImportSummary.Succeeded"/> whether to keep them.
/// </summary>
public sealed class ExampleImporter
{
    private readonly ImportOptions _options;
    private readonly ITokenEstimator _tokens;

    /// <param name="tokens">Defaults to <see cref="Utf8BytesTokenEstimator"/>.</param>
    /// <exception cref="ArgumentException">The options are inconsistent; the message says which one and why.</exception>
    public ExampleImporter(ImportOptions options, ITokenEstimator? tokens = null)
    {
        ImportOptionsRules.Validate(options);
        _options = options;
        _tokens = tokens ?? Utf8BytesTokenEstimator.Instance;
    }

    /// <param name="summary">A fresh summary per import; its counts move as records are enumerated.</param>
    public IEnumerable<ImportRecord> Read(Stream stream, ImportSummary summary)
    {
        var session = CreateSession(summary);
        using var reader = new RecordReader(stream, session.Boundary, _options);
        while (true)
        {
            var step = Next(reader, session, summary, out var record);
            if (step == Step.Record)
            {
                yield return record!;
            }
            else if (step == Step.Done)
            {
                break;
            }
            else
            {
                reader.Fill();
                Count(reader, summary);
            }
        }

        Finish(reader, session, summary);
    }

    /// <inheritdoc cref="Read"/>
    public async IAsyncEnumerable<ImportRecord> ReadAsync(
        Stream stream, ImportSummary summary, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var session = CreateSession(summary);
        using var reader = new RecordReader(stream, session.Boundary, _options);
        while (true)
        {
            var step = Next(reader, session, summary, out var record);
            if (step == Step.Record)
            {
                yield return record!;
            }
            else if (step == Step.Done)
            {
                break;
            }
            else
            {
                await reader.FillAsync(cancellationToken).ConfigureAwait(false);
                Count(reader, summary);
            }
        }

        Finish(reader, session, summary);
    }

    private enum Step
    {
        Record,
        NeedData,
        Done,
    }

    /// <summary>Everything between two reads from the stream, shared by the synchronous and asynchronous loops.</summary>
    private static Step Next(RecordReader reader, ImportSession session, ImportSummary summary, out ImportRecord? record)
    {
        record = null;
        while (!session.Stopped && reader.TryRead(out var raw))
        {
            record = session.Read(raw);
            Count(reader, summary);
            if (record is not null)
            {
                return Step.Record;
            }
        }

        return session.Stopped || reader.IsFinished ? Step.Done : Step.NeedData;
    }

    private ImportSession CreateSession(ImportSummary summary) => _options.Format switch
    {
        ImportFormat.ChatMessages => new JsonLinesSession(_options, _tokens, summary, new ChatMessagesMapper()),
        ImportFormat.PromptCompletion => new JsonLinesSession(_options, _tokens, summary, new PromptCompletionMapper(_options.RequireAssistantReply)),
        ImportFormat.StoredCompletions => new JsonLinesSession(_options, _tokens, summary, new StoredCompletionMapper()),
        ImportFormat.Csv => new CsvSession(_options, _tokens, summary),
        _ => throw new ArgumentOutOfRangeException(nameof(_options.Format), _options.Format, "Unknown import format."),
    };

    private static void Count(RecordReader reader, ImportSummary summary)
    {
        summary.BytesRead = reader.BytesRead;
        summary.LinesRead = reader.LinesRead;
    }

    private static void Finish(RecordReader reader, ImportSession session, ImportSummary summary)
    {
        Count(reader, summary);
        if (reader.FileIssue is { } issue)
        {
            summary.AddFileIssue(issue);
        }

        session.Finish();
        summary.IsComplete = true;
    }
}
