using System.Text.Json;

namespace Distill.Core.Jobs;

public static class JobPayload
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static T Read<T>(Job job) =>
        JsonSerializer.Deserialize<T>(job.Payload, Json)
        ?? throw new InvalidOperationException($"Job {job.Id} ({job.Kind}) has an empty payload.");
}
