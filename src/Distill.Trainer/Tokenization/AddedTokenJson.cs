using System.Text.Json;

namespace Distill.Trainer.Tokenization;

/// <summary>Reads one added-token object, shared by tokenizer.json's <c>added_tokens</c> and tokenizer_config.json's <c>added_tokens_decoder</c>.</summary>
internal static class AddedTokenJson
{
    public static AddedToken Read(JsonElement token, int id, string file, string field)
    {
        var content = token.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        if (string.IsNullOrEmpty(content))
        {
            throw new InvalidDataException($"{file}: {field} entry for id {id} has no content.");
        }

        if (Flag(token, "single_word"))
        {
            throw new NotSupportedException($"{file}: {field} entry '{content}' sets single_word, which Distill does not map.");
        }

        return new AddedToken(id, content, Flag(token, "special"), Flag(token, "lstrip"), Flag(token, "rstrip"));
    }

    private static bool Flag(JsonElement token, string name) =>
        token.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
