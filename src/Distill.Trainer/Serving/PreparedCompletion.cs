using Distill.Trainer.Inference;

namespace Distill.Trainer.Serving;

/// <summary>A request turned into what the generator takes, checked against the model before any reply is sent.</summary>
public sealed record PreparedCompletion(ServedModel Model, IReadOnlyList<int> Prompt, SamplingOptions Sampling, IReadOnlyList<string> Stop);
