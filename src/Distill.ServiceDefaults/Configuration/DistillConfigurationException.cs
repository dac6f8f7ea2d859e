namespace Distill.ServiceDefaults.Configuration;

/// <summary>A setting is missing, malformed or points at something unreachable. The message is one sentence for a person.</summary>
public sealed class DistillConfigurationException(string message, Exception? inner = null) : Exception(message, inner);
