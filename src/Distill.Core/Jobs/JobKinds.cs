namespace Distill.Core.Jobs;

/// <summary>Every job kind and the service whose queue runs it.</summary>
public static class JobKinds
{
    public const string Diagnostic = "diagnostic";
    public const string Import = "import";
    public const string Curate = "curate";
    public const string Generate = "generate";
    public const string CaptureSnapshot = "capture-snapshot";

    public const string WorkerService = "worker";
    public const string TrainerService = "trainer";

    private static readonly Dictionary<string, string> ServiceByKind = new(StringComparer.Ordinal)
    {
        [Diagnostic] = WorkerService,
        [Import] = WorkerService,
        [Curate] = WorkerService,
        [Generate] = WorkerService,
        [CaptureSnapshot] = WorkerService,
    };

    public static IReadOnlyCollection<string> All => ServiceByKind.Keys;

    public static string QueueOf(string kind) =>
        ServiceByKind.TryGetValue(kind, out var service)
            ? QueueOfService(service)
            : throw new ArgumentException($"'{kind}' is not a job kind; known kinds: {string.Join(", ", All)}.", nameof(kind));

    public static string QueueOfService(string service) => $"{service}-jobs";
}
