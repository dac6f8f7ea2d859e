using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Distill.Trainer.Tests.Tokenization;

/// <summary>
/// A small Llama-2-shaped SentencePiece BPE model: &lt;unk&gt; &lt;s&gt; &lt;/s&gt;, the 256 byte pieces, the corpus's
/// characters and learned merges; plus Phi-3's added tokens in tokenizer_config.json. The ModelProto is written
/// field by field here so the tests do not depend on the reader under test.
/// </summary>
internal sealed class TinySentencePiece
{
    public const string Corpus = "Hello there! How are you? I'm fine, thanks. You are terse. The quick brown fox jumps over the lazy dog. " +
        "Hello world, hello again. Fine, thanks for the help. Sure, the answer is here. Café crème. What is two plus two?";

    public static readonly (string Content, bool RightStrip)[] Phi3Tokens =
        [("<|endoftext|>", false), ("<|assistant|>", true), ("<|system|>", true), ("<|end|>", true), ("<|user|>", true)];

    private const int NormalType = 1, UnknownType = 2, ControlType = 3, UserDefinedType = 4, ByteType = 6;

    public TinySentencePiece(int merges = 120)
    {
        Pieces.Add(("<unk>", 0, UnknownType));
        Pieces.Add(("<s>", 0, ControlType));
        Pieces.Add(("</s>", 0, ControlType));
        for (var b = 0; b < 256; b++)
        {
            Pieces.Add(($"<0x{b:X2}>", 0, ByteType));
        }

        var words = Corpus.Split(' ').Select(w => "▁" + w).GroupBy(w => w).Select(g => (g.Key.Select(c => c.ToString()).ToList(), g.Count())).ToList();
        var learned = BpeTrainer.Learn(words, merges);
        for (var rank = 0; rank < learned.Count; rank++)
        {
            var piece = learned[rank].Left + learned[rank].Right;
            if (Pieces.All(p => p.Piece != piece))
            {
                Pieces.Add((piece, -rank, NormalType));
            }
        }

        var chars = Corpus.Replace(' ', '▁').Distinct().Append('▁').Distinct().OrderBy(c => c);
        foreach (var c in chars)
        {
            Pieces.Add((c.ToString(), -1000 - Pieces.Count, NormalType));
        }
    }

    public List<(string Piece, float Score, int Type)> Pieces { get; } = [];

    public int AddedId(string content) => Pieces.Count + Array.FindIndex(Phi3Tokens, t => t.Content == content);

    public byte[] Model(int modelType = 2, bool removeExtraWhitespaces = false, bool userDefinedPiece = false)
    {
        return Message(model =>
        {
            foreach (var (piece, score, type) in Pieces)
            {
                Field(model, 1, Message(p =>
                {
                    p.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    p.WriteString(piece);
                    p.WriteTag(2, WireFormat.WireType.Fixed32);
                    p.WriteFloat(score);
                    p.WriteTag(3, WireFormat.WireType.Varint);
                    p.WriteEnum(type);
                }));
            }

            if (userDefinedPiece)
            {
                Field(model, 1, Message(p =>
                {
                    p.WriteTag(1, WireFormat.WireType.LengthDelimited);
                    p.WriteString("<sep>");
                    p.WriteTag(3, WireFormat.WireType.Varint);
                    p.WriteEnum(UserDefinedType);
                }));
            }

            Field(model, 2, Message(trainer =>
            {
                Varint(trainer, 3, modelType);
                Varint(trainer, 4, Pieces.Count);
                Varint(trainer, 35, 1);
                Varint(trainer, 40, 0);
                Varint(trainer, 41, 1);
                Varint(trainer, 42, 2);
                Varint(trainer, 43, -1);
            }));

            Field(model, 3, Message(normalizer =>
            {
                normalizer.WriteTag(1, WireFormat.WireType.LengthDelimited);
                normalizer.WriteString("identity");
                Varint(normalizer, 3, 1);
                Varint(normalizer, 4, removeExtraWhitespaces ? 1 : 0);
                Varint(normalizer, 5, 1);
            }));
        });
    }

    public JsonObject Config(string? chatTemplate = null, string eos = "</s>")
    {
        var decoder = new JsonObject();
        foreach (var (content, id) in new[] { ("<unk>", 0), ("<s>", 1), ("</s>", 2) })
        {
            decoder[id.ToString()] = Token(content, rightStrip: false);
        }

        foreach (var (content, rightStrip) in Phi3Tokens)
        {
            decoder[AddedId(content).ToString()] = Token(content, rightStrip);
        }

        return new JsonObject
        {
            ["add_bos_token"] = true,
            ["add_eos_token"] = false,
            ["bos_token"] = "<s>",
            ["eos_token"] = eos,
            ["unk_token"] = "<unk>",
            ["legacy"] = true,
            ["added_tokens_decoder"] = decoder,
            ["chat_template"] = chatTemplate,
        };

        static JsonObject Token(string content, bool rightStrip) => new()
        {
            ["content"] = content,
            ["lstrip"] = false,
            ["normalized"] = false,
            ["rstrip"] = rightStrip,
            ["single_word"] = false,
            ["special"] = true,
        };
    }

    public TempCheckpoint WriteCheckpoint(string? chatTemplate = null, string eos = "</s>")
    {
        var checkpoint = new TempCheckpoint();
        checkpoint.WriteBytes("tokenizer.model", Model());
        checkpoint.WriteJson("tokenizer_config.json", Config(chatTemplate, eos));
        return checkpoint;
    }

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        using (var output = new CodedOutputStream(stream, leaveOpen: true))
        {
            write(output);
        }

        return stream.ToArray();
    }

    private static void Field(CodedOutputStream output, int field, byte[] message)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message));
    }

    private static void Varint(CodedOutputStream output, int field, int value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt32(value);
    }
}
