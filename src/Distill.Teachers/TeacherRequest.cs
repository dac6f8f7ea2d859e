using Distill.Core.Datasets;

namespace Distill.Teachers;

/// <summary>One question to a teacher: the conversation so far and how to answer it.</summary>
public sealed record TeacherRequest(IReadOnlyList<ExampleMessage> Messages)
{
    public float? Temperature { get; init; }

    public int? MaxOutputTokens { get; init; }

    /// <summary>Alternatives per token to return with logprobs (0 = only the chosen token's); null asks for no logprobs. Ignored unless the teacher supports them.</summary>
    public int? TopLogprobs { get; init; }

    /// <summary>Sent with <c>store</c> so the service's stored completion can be found again (e.g. <c>distill_job</c>, <c>distill_example</c>).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    /// <summary>Ask the service to keep its own copy; null follows <c>Teacher.StoreCompletions</c>. Never sent to Local teachers.</summary>
    public bool? Store { get; init; }
}
