using System.Text.Json;
using System.Text.Json.Serialization;

namespace Distill.Core.Jobs;

public static class JobPayload
{
    // Enums as names: payloads and lineage parameters are read by people in the database and the dashboard.
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static T Read<T>(Job job) =>
        JsonSerializer.Deserialize<T>(job.Payload, Json)
        ?? throw new InvalidOperationException($"Job {job.Id} ({job.Kind}) has an empty payload.");
}
