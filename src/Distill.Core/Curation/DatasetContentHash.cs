using System.Security.Cryptography;
using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>
/// The content hash of a DatasetVersion: sha256 over the canonical JSONL lines of its examples in the order given,
/// each ending in '\n', so it equals the sha256 of the version written as one canonical JSONL file. Incremental, so a
/// version streamed out of Postgres is hashed without holding it in memory.
/// </summary>
public sealed class DatasetContentHash : IDisposable
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Count { get; private set; }

    public void Append(ExampleRecord record, string? split = null) => AppendLine(CanonicalJsonl.LineBytes(record, split));

    /// <summary>A canonical line already written, with its newline.</summary>
    public void AppendLine(ReadOnlySpan<byte> canonicalLine)
    {
        hash.AppendData(canonicalLine);
        Count++;
    }

    /// <summary>The lowercase hex digest; the hash starts over afterwards.</summary>
    public string Finish()
    {
        Count = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string Of(IEnumerable<CurationItem> items)
    {
        using var hash = new DatasetContentHash();
        foreach (var item in items)
        {
            hash.Append(item.Record, item.Split);
        }

        return hash.Finish();
    }

    public void Dispose() => hash.Dispose();
}
