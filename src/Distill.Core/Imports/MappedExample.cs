using Distill.Core.Datasets;

namespace Distill.Core.Imports;

/// <summary>
/// A record's conversation as its format's reader understood it, before the shared rules run. A null message could not
/// be read at all (its issue is already recorded).
/// </summary>
/// <param name="ReplyField">Where a missing assistant reply is reported; null when the format's reader checks that itself.</param>
internal readonly record struct MappedExample(
    ExampleMessage?[] Messages, IReadOnlyDictionary<string, string> Metadata, MessagePaths Paths, string? ReplyField);
