namespace Distill.Trainer.Checkpoints;

/// <summary>
/// A checkpoint file (safetensors, index or config.json) that cannot be used as it is. The message is one sentence
/// naming the file and, where there is one, the tensor and the field; the same names are kept as properties so callers
/// and tests need not parse the message.
/// </summary>
public sealed class CheckpointFormatException : FormatException
{
    public CheckpointFormatException(string path, string? tensor, string? field, string message)
        : base(message)
    {
        Path = path;
        Tensor = tensor;
        Field = field;
    }

    public string Path { get; }

    public string? Tensor { get; }

    public string? Field { get; }
}
