using Distill.Web.Jobs;
using MassTransit;

namespace Distill.Web.Extensions;

public static class JobEventRelayExtensions
{
    /// <summary>
    /// Every Web instance hears every job event on a queue of its own that disappears with it, and passes the
    /// events to the pages its users have open.
    /// </summary>
    public static IBusRegistrationConfigurator AddJobEventRelay(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<JobEventRelay>().Endpoint(endpoint =>
        {
            endpoint.InstanceId = $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant();
            endpoint.Temporary = true;
        });
        return bus;
    }
}
