using System.Runtime.InteropServices;

namespace Distill.Hosting.Processes;

internal static partial class Signals
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    public static bool IsAlive(int pid) => Kill(pid, 0) == 0;

    /// <summary>Describes an exit code the way a person debugging a crash wants to read it.</summary>
    public static string DescribeExit(int exitCode) => exitCode switch
    {
        0 => "exited normally (code 0)",
        > 128 and < 160 => $"was killed by signal {exitCode - 128} ({Name(exitCode - 128)})",
        _ => $"exited with code {exitCode}",
    };

    private static string Name(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => "signal " + signal,
    };

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
