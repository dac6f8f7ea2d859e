using System.Text.Json;

namespace Distill.Trainer.Checkpoints;

/// <summary>
/// Typed access to the fields of one JSON object of a <c>config.json</c>, each failure one sentence naming the file
/// and the field (with its parent's name for nested objects, e.g. <c>rope_scaling.factor</c>). An explicit null counts
/// as absent, as it does for Hugging Face.
/// </summary>
internal sealed class ConfigFields(string source, JsonElement json, string prefix = "")
{
    public string Source => source;

    public bool Has(string field) => json.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;

    public ConfigFields? OptionalObject(string field) =>
        Optional(field) is { } value
            ? value.ValueKind == JsonValueKind.Object ? new ConfigFields(source, value, Name(field) + ".") : throw WrongType(field, "an object", value)
            : null;

    public string RequiredString(string field) => OptionalString(field) ?? throw Missing(field);

    public string? OptionalString(string field) =>
        Optional(field) is { } value
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(field, "a string", value)
            : null;

    public int RequiredPositiveInt(string field) => OptionalPositiveInt(field) ?? throw Missing(field);

    public int? OptionalPositiveInt(string field)
    {
        if (OptionalInt(field) is not { } number)
        {
            return null;
        }

        return number > 0 ? number : throw Invalid(field, $"must be positive, but it is {number}");
    }

    public int? OptionalInt(string field) =>
        Optional(field) is { } value
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw WrongType(field, "an integer", value)
            : null;

    public double RequiredPositiveDouble(string field) => OptionalPositiveDouble(field) ?? throw Missing(field);

    public double? OptionalPositiveDouble(string field)
    {
        if (Optional(field) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw WrongType(field, "a number", value);
        }

        return number > 0 ? number : throw Invalid(field, $"must be positive, but it is {value.GetRawText()}");
    }

    public bool? OptionalBool(string field) =>
        Optional(field) is { } value
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw WrongType(field, "true or false", value),
            }
            : null;

    /// <summary>A token id field Hugging Face allows to be one id or a list of them (<c>eos_token_id</c>).</summary>
    public IReadOnlyList<int> TokenIds(string field)
    {
        if (Optional(field) is not { } value)
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var single) && single >= 0)
        {
            return [single];
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            var ids = new List<int>();
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id) || id < 0)
                {
                    throw WrongType(field, "a token id or a list of token ids", value);
                }

                ids.Add(id);
            }

            return ids;
        }

        throw WrongType(field, "a token id or a list of token ids", value);
    }

    public CheckpointFormatException Invalid(string field, string problem) =>
        new(source, null, Name(field), $"{source}: field '{Name(field)}' {problem}.");

    private JsonElement? Optional(string field) =>
        json.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private CheckpointFormatException Missing(string field) =>
        new(source, null, Name(field), $"{source}: required field '{Name(field)}' is missing.");

    private CheckpointFormatException WrongType(string field, string expected, JsonElement value) =>
        Invalid(field, $"must be {expected}, but it is {JsonDescriptions.Describe(value)}");

    private string Name(string field) => prefix + field;
}
