using Distill.Core.Jobs;
using MassTransit;

namespace Distill.Web.Jobs;

internal sealed class JobEventRelay(JobEventStream stream) :
    IConsumer<JobQueued>,
    IConsumer<JobStarted>,
    IConsumer<JobProgressed>,
    IConsumer<JobCompleted>,
    IConsumer<JobFailed>,
    IConsumer<JobCancelled>
{
    public Task Consume(ConsumeContext<JobQueued> context) => Relay(context.Message.JobId, context.Message.Kind, "queued");

    public Task Consume(ConsumeContext<JobStarted> context) => Relay(context.Message.JobId, context.Message.Kind, "started");

    public Task Consume(ConsumeContext<JobProgressed> context) => Relay(context.Message.JobId, context.Message.Kind, "progressed");

    public Task Consume(ConsumeContext<JobCompleted> context) => Relay(context.Message.JobId, context.Message.Kind, "completed");

    public Task Consume(ConsumeContext<JobFailed> context) => Relay(context.Message.JobId, context.Message.Kind, "failed");

    public Task Consume(ConsumeContext<JobCancelled> context) => Relay(context.Message.JobId, context.Message.Kind, "cancelled");

    private Task Relay(Guid jobId, string kind, string @event) => stream.PublishAsync(new JobChanged(jobId, kind, @event));
}
