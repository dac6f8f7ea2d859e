using Distill.Core.Diagnostics;
using Distill.Core.Jobs;

namespace Distill.UnitTests;

public sealed class JobKindsTests
{
    [Fact]
    public void Diagnostic_jobs_go_to_the_worker_queue() =>
        Assert.Equal("worker-jobs", JobKinds.QueueOf(JobKinds.Diagnostic));

    [Fact]
    public void An_unknown_kind_is_refused_with_the_known_kinds()
    {
        var error = Assert.Throws<ArgumentException>(() => JobKinds.QueueOf("trian"));
        Assert.Contains("'trian' is not a job kind", error.Message);
        Assert.Contains(JobKinds.Diagnostic, error.Message);
    }

    [Theory]
    [InlineData(0, 10, "steps")]
    [InlineData(DiagnosticPayload.MaxSteps + 1, 10, "steps")]
    [InlineData(3, -1, "stepMilliseconds")]
    [InlineData(3, 60_001, "stepMilliseconds")]
    public void Diagnostic_payload_errors_name_the_field(int steps, int milliseconds, string field)
    {
        var errors = DiagnosticPayloadRules.Validate(new DiagnosticPayload(steps, milliseconds));
        Assert.Equal([field], errors.Keys);
        Assert.Contains("must be between", errors[field].Single());
    }

    [Fact]
    public void A_sensible_diagnostic_payload_is_accepted() =>
        Assert.Empty(DiagnosticPayloadRules.Validate(new DiagnosticPayload(5, 200)));
}
