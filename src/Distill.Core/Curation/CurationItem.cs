using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>
/// One example of a DatasetVersion as curation sees it. <see cref="Id"/> is the stored example's id: "keep the first"
/// means the lowest id, so a result never depends on the order rows arrive in.
/// </summary>
public sealed record CurationItem(long Id, ExampleRecord Record, string Split, DateTime CreatedAt, ExampleTokenCounts? Tokens = null);

/// <summary>Token counts stored with an example, so length filters need not re-tokenize millions of rows.</summary>
public sealed record ExampleTokenCounts(int Prompt, int Completion)
{
    public int Example => Prompt + Completion;
}
