using Distill.Core.Datasets;

namespace Distill.Web.Datasets;

/// <summary>Checks a curation request before it is queued, so a bad parameter is a form error, not a failed job.</summary>
public static class CurationRequestRules
{
    public static readonly IReadOnlyList<string> Operations =
    [
        DatasetOperations.Filter, DatasetOperations.ExactDedup, DatasetOperations.NearDedup, DatasetOperations.RedactPii,
        DatasetOperations.Decontaminate, DatasetOperations.Split, DatasetOperations.Sample,
    ];

    public static Dictionary<string, string[]> Validate(CurationRequest request)
    {
        if (!Operations.Contains(request.Operation))
        {
            return new() { ["operation"] = [$"'{request.Operation}' is not a curation operation; use one of {string.Join(", ", Operations)}."] };
        }

        return [];
    }
}
