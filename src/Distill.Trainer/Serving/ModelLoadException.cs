namespace Distill.Trainer.Serving;

/// <summary>A registered model whose directory is not a usable checkpoint; the message says why.</summary>
public sealed class ModelLoadException(string message, Exception inner) : Exception(message, inner);
