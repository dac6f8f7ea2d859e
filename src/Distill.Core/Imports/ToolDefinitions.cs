using System.Text.Json;

namespace Distill.Core.Imports;

/// <summary>
/// A fine-tuning line's <c>tools</c> and <c>parallel_tool_calls</c> are kept in metadata, as their JSON text: without
/// the tool schemas the tool calls in the conversation could not be trained faithfully, and ExampleRecord has no other
/// place for them. A key the user's own metadata already has is left as the user set it.
/// </summary>
internal static class ToolDefinitions
{
    public const string ToolsKey = "tools";
    public const string ParallelToolCallsKey = "parallel_tool_calls";

    public static void Keep(JsonElement owner, ref Dictionary<string, string>? metadata, IssueCollector issues) =>
        Keep(JsonKinds.Property(owner, "tools"u8), JsonKinds.Property(owner, "parallel_tool_calls"u8), ref metadata, issues);

    public static void Keep(JsonElement tools, JsonElement parallel, ref Dictionary<string, string>? metadata, IssueCollector issues)
    {
        if (!JsonKinds.IsAbsent(tools))
        {
            if (tools.ValueKind == JsonValueKind.Array)
            {
                (metadata ??= new(StringComparer.Ordinal)).TryAdd(ToolsKey, tools.GetRawText());
            }
            else
            {
                issues.Add("tools", $"expected an array of tool definitions, got {JsonKinds.Describe(tools)}");
            }
        }

        if (!JsonKinds.IsAbsent(parallel))
        {
            if (parallel.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                (metadata ??= new(StringComparer.Ordinal)).TryAdd(ParallelToolCallsKey, parallel.GetRawText());
            }
            else
            {
                issues.Add("parallel_tool_calls", $"expected a boolean, got {JsonKinds.Describe(parallel)}");
            }
        }
    }
}
