using System.Text.Json;

namespace Distill.Core.Curation;

/// <summary>Reads an operation's parameters from the JSON a user sent (API or page) as field errors, not exceptions.</summary>
public static class CurationParametersJson
{
    /// <summary>The parameters, or field errors by JSON name when the operation is unknown, the JSON does not fit, or a value is out of range.</summary>
    public static (ICurationParameters? Parameters, IReadOnlyDictionary<string, string[]> Errors) Read(string operation, JsonElement json)
    {
        if (!CurationOperations.All.Contains(operation))
        {
            return (null, new Dictionary<string, string[]> { ["operation"] = [$"'{operation}' is not a curation operation; use one of {string.Join(", ", CurationOperations.All)}."] });
        }

        try
        {
            var parameters = CurationOperations.ReadParameters(operation, json.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "{}" : json.GetRawText());
            return (parameters, parameters.Validate());
        }
        catch (JsonException ex)
        {
            return (null, new Dictionary<string, string[]> { [ex.Path is { Length: > 1 } path ? $"parameters{path.TrimStart('$')}" : "parameters"] = [ex.Message] });
        }
        catch (ArgumentException ex)
        {
            return (null, new Dictionary<string, string[]> { ["parameters"] = [ex.Reason()] });
        }
    }
}
