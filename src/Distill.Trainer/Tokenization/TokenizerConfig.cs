using System.Text.Json;

namespace Distill.Trainer.Tokenization;

/// <summary>
/// The parts of <c>tokenizer_config.json</c> (and the older <c>added_tokens.json</c>) that the tokenizer and the chat
/// template need. A checkpoint without the file gets an empty config.
/// </summary>
internal sealed record TokenizerConfig(
    string? BosToken,
    string? EosToken,
    bool? AddBosToken,
    IReadOnlyList<AddedToken> AddedTokens,
    string? ChatTemplate)
{
    public const string FileName = "tokenizer_config.json";
    public const string AddedTokensFileName = "added_tokens.json";

    public static TokenizerConfig Read(string directory)
    {
        var added = new List<AddedToken>();
        string? bos = null, eos = null, template = null;
        bool? addBos = null;

        var path = Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            using var document = Parse(path, FileName);
            var root = document.RootElement;
            bos = TokenContent(root, "bos_token");
            eos = TokenContent(root, "eos_token");
            addBos = root.TryGetProperty("add_bos_token", out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False ? flag.GetBoolean() : null;
            template = ChatTemplateOf(root);
            if (root.TryGetProperty("added_tokens_decoder", out var decoder) && decoder.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in decoder.EnumerateObject())
                {
                    if (!int.TryParse(entry.Name, out var id) || id < 0)
                    {
                        throw new InvalidDataException($"{FileName}: added_tokens_decoder key '{entry.Name}' is not a token id.");
                    }

                    added.Add(AddedTokenJson.Read(entry.Value, id, FileName, "added_tokens_decoder"));
                }
            }
        }

        added.AddRange(ReadAddedTokensFile(directory));
        return new TokenizerConfig(bos, eos, addBos, added, template);
    }

    private static IEnumerable<AddedToken> ReadAddedTokensFile(string directory)
    {
        var path = Path.Combine(directory, AddedTokensFileName);
        if (!File.Exists(path))
        {
            yield break;
        }

        using var document = Parse(path, AddedTokensFileName);
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id))
            {
                throw new InvalidDataException($"{AddedTokensFileName}: '{entry.Name}' has no integer id.");
            }

            // This file predates the special flag; the tokens it lists were registered as special.
            yield return new AddedToken(id, entry.Name, Special: true);
        }
    }

    private static string? TokenContent(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var token))
        {
            return null;
        }

        return token.ValueKind switch
        {
            JsonValueKind.String => token.GetString(),
            JsonValueKind.Object when token.TryGetProperty("content", out var content) => content.GetString(),
            JsonValueKind.Null => null,
            _ => throw new InvalidDataException($"{FileName}: {name} is neither a string nor an object with content."),
        };
    }

    private static string? ChatTemplateOf(JsonElement root)
    {
        if (!root.TryGetProperty("chat_template", out var template) || template.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (template.ValueKind == JsonValueKind.String)
        {
            return template.GetString();
        }

        // Several named templates (default, tool_use, ...): plain conversations use the default one.
        if (template.ValueKind == JsonValueKind.Array)
        {
            foreach (var named in template.EnumerateArray())
            {
                if (named.TryGetProperty("name", out var name) && name.GetString() == "default" && named.TryGetProperty("template", out var text))
                {
                    return text.GetString();
                }
            }

            throw new InvalidDataException($"{FileName}: chat_template lists named templates but none is called 'default'.");
        }

        throw new InvalidDataException($"{FileName}: chat_template is neither a string nor a list of named templates.");
    }

    internal static JsonDocument Parse(string path, string fileName)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{fileName}: the file is not valid JSON ({ex.Message}).", ex);
        }
    }
}
