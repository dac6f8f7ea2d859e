namespace Distill.Core.Imports;

/// <summary>
/// One record as the reader found it, valid only until the next read. <see cref="Bytes"/> is the record without its
/// line ending, or only its start when the record was too long to hold (<see cref="IsWhole"/> false).
/// </summary>
/// <param name="EndsFile">The file ended without a final line ending: a truncated upload shows up here.</param>
/// <param name="Problem">Why the bytes cannot be parsed at all (length, encoding); null when they can.</param>
internal readonly record struct RawRecord(long Line, ReadOnlyMemory<byte> Bytes, bool IsWhole, bool EndsFile, ImportIssue? Problem);
