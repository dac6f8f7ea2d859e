using System.Runtime.Versioning;

// The launcher under test drives POSIX processes, signals and /proc.
[assembly: SupportedOSPlatform("linux")]

// One topology at a time: the machine has two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
