using Distill.Core.Curation;
using Distill.Core.Datasets;

namespace Distill.Web.Datasets;

/// <summary>Checks a curation request before it is queued, so a bad parameter is a form error, not a failed job.</summary>
public static class CurationRequestRules
{
    public static IReadOnlyList<string> Operations { get; } = [.. CurationOperations.All];

    public static Dictionary<string, string[]> Validate(CurationRequest request)
    {
        var (parameters, found) = CurationParametersJson.Read(request.Operation, request.Parameters);
        var errors = new Dictionary<string, string[]>(found);
        if (parameters is DecontaminationParameters { EvaluationSplit: null } && request.EvaluationVersionId is null)
        {
            errors["evaluationVersionId"] = ["Decontamination needs an evaluation set: a split of this version or another version."];
        }

        return errors;
    }
}
