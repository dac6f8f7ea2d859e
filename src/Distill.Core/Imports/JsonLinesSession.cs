using System.Text.Json;

namespace Distill.Core.Imports;

/// <summary>
/// A JSONL import: each line is parsed straight from the read buffer (no string of the line is made) and handed to the
/// format's mapper.
/// </summary>
internal sealed class JsonLinesSession(ImportOptions options, ITokenEstimator tokens, ImportSummary summary, IJsonExampleMapper mapper)
    : ImportSession(options, tokens, summary)
{
    public override RecordBoundary Boundary { get; } = new LineBoundary();

    public override ImportRecord? Read(in RawRecord raw)
    {
        if (raw.Problem is { } problem)
        {
            return Reject(raw, [problem]);
        }

        var bytes = raw.Bytes.Span;
        if (IsBlank(bytes))
        {
            return Blank();
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(raw.Bytes);
        }
        catch (JsonException error)
        {
            return Reject(raw, [new ImportIssue(raw.Line, "", JsonSyntax.Describe(bytes, error, raw.EndsFile))]);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Reject(raw, [new ImportIssue(raw.Line, "", root.ValueKind == JsonValueKind.Array
                    ? "expected one JSON object per line, got an array (is this a JSON array file rather than JSONL?)"
                    : $"expected one JSON object per line, got {JsonKinds.Describe(root)}")]);
            }

            Issues.Start(raw.Line);
            return Conclude(raw, mapper.Map(root, Issues));
        }
    }
}
