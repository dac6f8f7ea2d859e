namespace Distill.Core.Imports;

/// <summary>
/// Finds where a record ends in bytes that arrive chunk by chunk. Keeps its state between calls, so a record split
/// across reads is scanned once rather than from its start after every read.
/// </summary>
internal abstract class RecordBoundary
{
    /// <summary>The index of the line feed that ends the current record, or -1 when none of these bytes ends it.</summary>
    public abstract int FindEnd(ReadOnlySpan<byte> unscanned);

    /// <summary>Line feeds inside the current record (quoted CSV fields), so later records keep true line numbers.</summary>
    public virtual int InnerLineBreaks => 0;

    /// <summary>When the data stops here, the record is cut inside an open construct (a CSV quote).</summary>
    public virtual bool IsInsideQuotes => false;

    /// <summary>Called after each record, so the next starts from a clean state.</summary>
    public virtual void Reset()
    {
    }
}

/// <summary>JSONL: every line feed ends a record.</summary>
internal sealed class LineBoundary : RecordBoundary
{
    public override int FindEnd(ReadOnlySpan<byte> unscanned) => unscanned.IndexOf((byte)'\n');
}
