namespace Distill.Hosting;

/// <summary>The launcher cannot go on; the message says why in a sentence a person can act on.</summary>
public sealed class DistillHostException(string message, Exception? inner = null) : Exception(message, inner);
