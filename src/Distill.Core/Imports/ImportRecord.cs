using Distill.Core.Datasets;

namespace Distill.Core.Imports;

/// <summary>What became of one non-blank input record: accepted whole, or rejected with every reason found.</summary>
public abstract record ImportRecord(long Line);

/// <param name="EstimatedTokens">An <see cref="ITokenEstimator">estimate</see>, not a tokenizer count.</param>
public sealed record AcceptedRecord(long Line, ExampleRecord Example, int EstimatedTokens) : ImportRecord(Line);

/// <summary>
/// Carries no example on purpose, so nothing of a bad line can be inserted by mistake. <see cref="RawExcerpt"/> is the
/// start of the raw line for the quarantine file, cut at <see cref="ImportOptions.ExcerptBytes"/>.
/// </summary>
public sealed record RejectedRecord(long Line, IReadOnlyList<ImportIssue> Issues, string RawExcerpt, bool ExcerptIsTruncated)
    : ImportRecord(Line);
