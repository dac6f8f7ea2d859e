namespace Distill.Trainer.Checkpoints;

/// <summary>The element types a safetensors header may name, spelled as the format spells them.</summary>
public enum SafetensorsDtype
{
    F64,
    F32,
    F16,
    BF16,
    I64,
    I32,
    I16,
    I8,
    U8,
    BOOL,
}

public static class SafetensorsDtypes
{
    public static int ElementSize(this SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F64 or SafetensorsDtype.I64 => 8,
        SafetensorsDtype.F32 or SafetensorsDtype.I32 => 4,
        SafetensorsDtype.F16 or SafetensorsDtype.BF16 or SafetensorsDtype.I16 => 2,
        SafetensorsDtype.I8 or SafetensorsDtype.U8 or SafetensorsDtype.BOOL => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Not a safetensors dtype."),
    };

    /// <summary>The name the header uses, e.g. <c>BF16</c>.</summary>
    public static string HeaderName(this SafetensorsDtype dtype) => dtype.ToString();

    /// <summary>Every supported header name, for error messages.</summary>
    public static string Supported => string.Join(", ", Enum.GetNames<SafetensorsDtype>());

    public static bool TryParse(string headerName, out SafetensorsDtype dtype) =>
        // Enum.TryParse alone would also accept numbers and other casings; the header is exact.
        Enum.TryParse(headerName, ignoreCase: false, out dtype)
        && Enum.IsDefined(dtype)
        && dtype.HeaderName() == headerName;
}
