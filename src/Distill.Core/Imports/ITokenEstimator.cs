using Distill.Core.Datasets;

namespace Distill.Core.Imports;

/// <summary>
/// A cheap size estimate used for limits at import time. Exact tokenisation of a million examples would dominate the
/// import, and the student's tokenizer may not even be chosen yet; exact counts are taken later, per model.
/// </summary>
public interface ITokenEstimator
{
    int EstimateTokens(ExampleRecord example);
}
