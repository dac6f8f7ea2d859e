namespace Distill.Trainer.Serving;

/// <summary>The <c>Serving</c> configuration section.</summary>
public sealed class ServingOptions
{
    public const string Section = "Serving";

    /// <summary>
    /// Model name to checkpoint: a directory (<c>Serving__Models__tiny=/checkpoints/tiny</c>) or a blob location
    /// (<c>Serving__Models__tiny=blob:models/tiny/1</c>).
    /// </summary>
    public Dictionary<string, string> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The completion length when a request sets none. OpenAI's default is the rest of the context window, but the
    /// KV cache is allocated for the whole length up front, so an unbounded default would cost memory on every request.
    /// </summary>
    public int DefaultMaxTokens { get; set; } = 1024;

    /// <summary>Where checkpoints fetched from blob storage are kept on local disk.</summary>
    public string CacheDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "distill-model-cache");
}
