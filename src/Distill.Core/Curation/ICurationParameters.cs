namespace Distill.Core.Curation;

/// <summary>
/// The parameters of one curation operation: stored as the new version's lineage, so they are plain JSON-serialisable
/// records, and checked before any work starts.
/// </summary>
public interface ICurationParameters
{
    /// <summary>The operation's name in lineage; implementations keep it out of the parameters' JSON.</summary>
    string Operation { get; }

    /// <summary>Field errors by JSON name (the shape of an HTTP validation problem), empty when the parameters are usable.</summary>
    IReadOnlyDictionary<string, string[]> Validate();
}

public static class CurationParameters
{
    /// <summary>Refuses bad parameters with every problem in one message, so a job fails once with the full story.</summary>
    public static void EnsureValid(this ICurationParameters parameters)
    {
        var errors = parameters.Validate();
        if (errors.Count > 0)
        {
            var problems = errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {string.Join("; ", e.Value)}");
            throw new ArgumentException($"Invalid {parameters.Operation} parameters: {string.Join(" | ", problems)}", nameof(parameters));
        }
    }
}
