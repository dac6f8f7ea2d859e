using Distill.Core.Datasets;

namespace Distill.Web.Components.Datasets;

/// <summary>
/// A starting point for each curation operation's parameters. Only examples: the Worker's operations define and
/// check the exact shapes, and a wrong parameter comes back as the job's error.
/// </summary>
public static class CurationExamples
{
    private static readonly Dictionary<string, string> Parameters = new(StringComparer.Ordinal)
    {
        [DatasetOperations.Filter] = """
            {
              "minTokens": 1,
              "maxTokens": 4096,
              "requireAssistantReply": true,
              "metadata": { "lang": "en" }
            }
            """,
        [DatasetOperations.ExactDedup] = """
            { "keep": "first" }
            """,
        [DatasetOperations.NearDedup] = """
            { "threshold": 0.85, "shingleSize": 5 }
            """,
        [DatasetOperations.RedactPii] = """
            { "types": ["email", "phone", "credit-card", "ip-address"] }
            """,
        [DatasetOperations.Decontaminate] = """
            { "ngram": 13 }
            """,
        [DatasetOperations.Split] = """
            { "train": 0.8, "validation": 0.1, "test": 0.1, "seed": 42 }
            """,
        [DatasetOperations.Sample] = """
            { "count": 1000, "seed": 42 }
            """,
    };

    public static string For(string operation) => Parameters.GetValueOrDefault(operation, "{}");

    public static string Describe(string operation) => operation switch
    {
        DatasetOperations.Filter => "keep only examples that match",
        DatasetOperations.ExactDedup => "drop examples whose content hash was seen before",
        DatasetOperations.NearDedup => "drop near-duplicates (MinHash over word shingles)",
        DatasetOperations.RedactPii => "replace personal data with placeholders",
        DatasetOperations.Decontaminate => "drop examples that overlap an evaluation set",
        DatasetOperations.Split => "assign train / validation / test",
        DatasetOperations.Sample => "keep a random subset",
        _ => "",
    };
}
