using System.Text.Json;

namespace Distill.Core.Imports;

/// <summary>How a JSON value is named in an error, for every parser of user JSON (imports, the Trainer's /v1).</summary>
public static class JsonKinds
{
    /// <summary>A value's kind as the end of "expected a string, got ...".</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>The property's value, or an undefined element when the object lacks it (so absence and type share one check).</summary>
    public static JsonElement Property(JsonElement owner, ReadOnlySpan<byte> name) =>
        owner.TryGetProperty(name, out var value) ? value : default;

    /// <summary>"missing" for an absent value, else "expected X, got Y".</summary>
    public static string Expected(string expected, JsonElement value) =>
        value.ValueKind == JsonValueKind.Undefined ? "missing" : $"expected {expected}, got {Describe(value)}";

    public static bool IsAbsent(JsonElement value) => value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    /// <summary>A user's value quoted in an error, cut short so one absurd value cannot flood the quarantine file.</summary>
    public static string Shown(string? text) =>
        text is null ? "" : text.Length <= 40 ? $"'{text}'" : $"'{text[..40]}…'";
}
