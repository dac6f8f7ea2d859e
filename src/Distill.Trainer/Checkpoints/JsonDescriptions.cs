using System.Text.Json;

namespace Distill.Trainer.Checkpoints;

/// <summary>Says what a JSON value is, so a "wrong type" error can show what it found instead.</summary>
internal static class JsonDescriptions
{
    private const int MaxShown = 40;

    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {Shorten(value.GetRawText())}",
        JsonValueKind.Number => $"the number {Shorten(value.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        _ => "null",
    };

    private static string Shorten(string raw) => raw.Length <= MaxShown ? raw : raw[..MaxShown] + "...";
}
