using System.Text.Json;
using System.Text.Json.Serialization;

namespace Distill.Core.Curation;

/// <summary>Reads an operation's parameters from the JSON a user sent (API or page), the one place both sides agree on.</summary>
public static class CurationParametersJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static IReadOnlyList<string> Operations { get; } =
    [
        CurationOperations.Filter, CurationOperations.ExactDedup, CurationOperations.NearDedup, CurationOperations.PiiRedaction,
        CurationOperations.Decontamination, CurationOperations.Split, CurationOperations.Sample,
    ];

    /// <summary>The parameters, or field errors by JSON name when the operation is unknown, the JSON does not fit, or a value is out of range.</summary>
    public static (ICurationParameters? Parameters, IReadOnlyDictionary<string, string[]> Errors) Read(string operation, JsonElement json)
    {
        if (!Operations.Contains(operation))
        {
            return (null, new Dictionary<string, string[]> { ["operation"] = [$"'{operation}' is not a curation operation; use one of {string.Join(", ", Operations)}."] });
        }

        ICurationParameters? parameters;
        try
        {
            var text = json.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "{}" : json.GetRawText();
            parameters = operation switch
            {
                CurationOperations.Filter => JsonSerializer.Deserialize<FilterParameters>(text, Options),
                CurationOperations.ExactDedup => JsonSerializer.Deserialize<ExactDedupParameters>(text, Options),
                CurationOperations.NearDedup => JsonSerializer.Deserialize<NearDedupParameters>(text, Options),
                CurationOperations.PiiRedaction => JsonSerializer.Deserialize<PiiRedactionParameters>(text, Options),
                CurationOperations.Decontamination => JsonSerializer.Deserialize<DecontaminationParameters>(text, Options),
                CurationOperations.Split => JsonSerializer.Deserialize<SplitParameters>(text, Options),
                _ => JsonSerializer.Deserialize<SampleParameters>(text, Options),
            };
        }
        catch (JsonException ex)
        {
            return (null, new Dictionary<string, string[]> { [ex.Path is { Length: > 0 } path ? $"parameters{path.TrimStart('$')}" : "parameters"] = [ex.Message] });
        }

        if (parameters is null)
        {
            return (null, new Dictionary<string, string[]> { ["parameters"] = ["The parameters must be a JSON object."] });
        }

        return (parameters, parameters.Validate());
    }

    public static string Write(ICurationParameters parameters) => JsonSerializer.Serialize(parameters, parameters.GetType(), Options);
}
