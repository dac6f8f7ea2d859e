using System.Text.Json;

namespace Distill.Core.Imports;

/// <summary>One JSONL format: how a line's JSON object becomes a conversation.</summary>
internal interface IJsonExampleMapper
{
    MappedExample Map(JsonElement root, IssueCollector issues);
}
