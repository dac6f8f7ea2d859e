using System.Globalization;
using System.Text;
using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Serving;

/// <summary>
/// A token's own bytes and text, as OpenAI's logprobs report them: a byte-level token may hold part of a UTF-8
/// character, so its text alone cannot say which bytes it adds.
/// </summary>
public static class TokenBytes
{
    private const char SentencePieceSpace = '\u2581';

    public static byte[] Of(CheckpointTokenizer tokenizer, int id)
    {
        var token = tokenizer.IdToToken(id);
        if (tokenizer.IsAddedToken(token))
        {
            return Encoding.UTF8.GetBytes(token);
        }

        if (tokenizer.Kind == TokenizerKind.ByteLevelBpe)
        {
            var bytes = new List<byte>();
            return ByteLevelAlphabet.TryAppendBytes(token, bytes) ? [.. bytes] : Encoding.UTF8.GetBytes(token);
        }

        // SentencePiece spells unknown bytes as <0xNN> (byte fallback) and spaces as U+2581.
        if (token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token.EndsWith('>')
            && byte.TryParse(token.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var single))
        {
            return [single];
        }

        return Encoding.UTF8.GetBytes(token.Replace(SentencePieceSpace, ' '));
    }

    /// <summary>The bytes as text; bytes that are not whole UTF-8 characters are written as <c>\xNN</c>, as OpenAI shows them.</summary>
    public static string Text(byte[] bytes)
    {
        var text = new StringBuilder();
        var at = 0;
        while (at < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes.AsSpan(at), out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                for (var i = 0; i < consumed; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"\\x{bytes[at + i]:x2}");
                }
            }

            at += consumed;
        }

        return text.ToString();
    }
}
