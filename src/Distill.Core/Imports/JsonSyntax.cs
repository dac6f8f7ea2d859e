using System.Text.Json;

namespace Distill.Core.Imports;

/// <summary>Turns a JSON parse failure into the cause a user can act on, telling a cut-off value from a malformed one.</summary>
internal static class JsonSyntax
{
    public static string Describe(ReadOnlySpan<byte> json, JsonException error, bool endsFile)
    {
        if (EndsInsideValue(json))
        {
            return endsFile
                ? "the file ends inside a JSON value; was the upload truncated?"
                : "the line ends inside a JSON value; JSONL needs each value on one line (is this pretty-printed JSON?)";
        }

        var message = error.Message;
        var position = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (position > 0)
        {
            message = message[..position];
        }

        return $"invalid JSON at byte {(error.BytePositionInLine ?? 0) + 1}: {message}";
    }

    private static bool EndsInsideValue(ReadOnlySpan<byte> json)
    {
        // Read as a non-final block, the reader stops asking for more data exactly where a cut-off value ends.
        var reader = new Utf8JsonReader(json, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
                {
                    return false;
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
