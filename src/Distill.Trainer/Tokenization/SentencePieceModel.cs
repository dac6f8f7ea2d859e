using Google.Protobuf;

namespace Distill.Trainer.Tokenization;

/// <summary>
/// The fields of a SentencePiece <c>tokenizer.model</c> (sentencepiece_model.proto) that decide tokenisation, read
/// with their proto2 defaults so they can be checked before Microsoft.ML.Tokenizers sees the file.
/// </summary>
internal sealed record SentencePieceModel(
    IReadOnlyList<SentencePieceModel.Piece> Pieces,
    int ModelType,
    bool ByteFallback,
    bool TreatWhitespaceAsSuffix,
    int BosId,
    int EosId,
    string NormalizerName,
    int PrecompiledCharsmapLength,
    bool AddDummyPrefix,
    bool RemoveExtraWhitespaces,
    bool EscapeWhitespaces)
{
    public const string FileName = "tokenizer.model";
    public const int Bpe = 2;
    public const int Normal = 1, Unknown = 2, Control = 3, UserDefined = 4, Unused = 5, Byte = 6;

    public sealed record Piece(string Text, float Score, int Type);

    public static SentencePieceModel Read(byte[] bytes)
    {
        try
        {
            return Parse(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new InvalidDataException($"{FileName}: the file is not a SentencePiece ModelProto ({ex.Message}).", ex);
        }
    }

    private static SentencePieceModel Parse(byte[] bytes)
    {
        var pieces = new List<Piece>();
        var model = new SentencePieceModel(pieces, ModelType: 1, ByteFallback: false, TreatWhitespaceAsSuffix: false, BosId: 1, EosId: 2,
            NormalizerName: "", PrecompiledCharsmapLength: 0, AddDummyPrefix: true, RemoveExtraWhitespaces: true, EscapeWhitespaces: true);

        var input = new CodedInputStream(bytes);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    pieces.Add(ReadPiece(input.ReadBytes()));
                    break;
                case 2:
                    model = ReadTrainerSpec(input.ReadBytes(), model);
                    break;
                case 3:
                    model = ReadNormalizerSpec(input.ReadBytes(), model);
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return model;
    }

    private static Piece ReadPiece(ByteString bytes)
    {
        string text = "";
        float score = 0;
        var type = Normal;
        var input = bytes.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: text = input.ReadString(); break;
                case 2: score = input.ReadFloat(); break;
                case 3: type = input.ReadEnum(); break;
                default: input.SkipLastField(); break;
            }
        }

        return new Piece(text, score, type);
    }

    private static SentencePieceModel ReadTrainerSpec(ByteString bytes, SentencePieceModel model)
    {
        var input = bytes.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            model = WireFormat.GetTagFieldNumber(tag) switch
            {
                3 => model with { ModelType = input.ReadEnum() },
                24 => model with { TreatWhitespaceAsSuffix = input.ReadBool() },
                35 => model with { ByteFallback = input.ReadBool() },
                41 => model with { BosId = input.ReadInt32() },
                42 => model with { EosId = input.ReadInt32() },
                _ => Skip(input, model),
            };
        }

        return model;
    }

    private static SentencePieceModel ReadNormalizerSpec(ByteString bytes, SentencePieceModel model)
    {
        var input = bytes.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            model = WireFormat.GetTagFieldNumber(tag) switch
            {
                1 => model with { NormalizerName = input.ReadString() },
                2 => model with { PrecompiledCharsmapLength = input.ReadBytes().Length },
                3 => model with { AddDummyPrefix = input.ReadBool() },
                4 => model with { RemoveExtraWhitespaces = input.ReadBool() },
                5 => model with { EscapeWhitespaces = input.ReadBool() },
                _ => Skip(input, model),
            };
        }

        return model;
    }

    private static SentencePieceModel Skip(CodedInputStream input, SentencePieceModel model)
    {
        input.SkipLastField();
        return model;
    }
}
