using System.Diagnostics;

namespace Distill.Hosting.Processes;

/// <summary>What to run for a resource.</summary>
public sealed record ChildProcessSpec(
    string Name,
    string FileName,
    IReadOnlyList<string> Arguments,
    string? WorkingDirectory,
    IReadOnlyDictionary<string, string?> Environment);

/// <summary>
/// One process the launcher started. It runs in a session of its own, so a Ctrl+C in the terminal reaches only
/// the launcher, which then stops children in order. Its output is streamed with the resource's prefix, copied to a
/// log file and the last lines are kept to explain an unexpected exit.
/// </summary>
public sealed class ChildProcess
{
    private const int KeptLines = 30;
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly StreamWriter? _log;
    private readonly Task _pumps;

    private ChildProcess(Process process, AppHostConsole console, string name, StreamWriter? log)
    {
        _process = process;
        _log = log;
        Name = name;
        Pid = process.Id;
        _pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput, console),
            PumpAsync(process.StandardError, console));
        Exited = WaitForExitAsync();
    }

    public string Name { get; }

    public int Pid { get; }

    /// <summary>Completes with the exit code when the process ends, whoever ended it.</summary>
    public Task<int> Exited { get; }

    public bool HasExited => Exited.IsCompleted;

    public IReadOnlyList<string> LastLines
    {
        get
        {
            lock (_lastLines)
            {
                return [.. _lastLines];
            }
        }
    }

    public static ChildProcess Start(ChildProcessSpec spec, AppHostConsole console, string? logFile)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? Directory.GetCurrentDirectory(),
        };

        // setsid puts the child in its own session (it execs in place, so the pid stays the child's).
        if (File.Exists("/usr/bin/setsid"))
        {
            info.FileName = "/usr/bin/setsid";
            info.ArgumentList.Add(spec.FileName);
        }
        else
        {
            info.FileName = spec.FileName;
        }

        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in spec.Environment)
        {
            info.Environment[key] = value;
        }

        StreamWriter? log = null;
        if (logFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
            log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {spec.FileName}.");
        process.StandardInput.Close();
        return new ChildProcess(process, console, spec.Name, log);
    }

    public void Signal(int signal)
    {
        if (!HasExited)
        {
            Signals.Send(Pid, signal);
        }
    }

    /// <summary>Asks the process to stop with <paramref name="signal"/>; kills it and its descendants after <paramref name="grace"/>.</summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        Signal(signal);
        if (await Task.WhenAny(Exited, Task.Delay(grace)) != Exited)
        {
            Kill();
        }

        await Exited;
    }

    /// <summary>SIGKILL to the process and everything it started, at once.</summary>
    public void Kill()
    {
        var descendants = ProcessTree.Descendants(Pid);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        foreach (var pid in descendants)
        {
            Signals.Send(pid, Signals.SIGKILL);
        }
    }

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync();
        // A grandchild can hold the pipes open; don't wait for it forever.
        await Task.WhenAny(_pumps, Task.Delay(TimeSpan.FromSeconds(2)));
        _log?.Dispose();
        return _process.ExitCode;
    }

    private async Task PumpAsync(StreamReader reader, AppHostConsole console)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            console.Line(Name, line);
            lock (_lastLines)
            {
                _lastLines.Enqueue(line);
                if (_lastLines.Count > KeptLines)
                {
                    _lastLines.Dequeue();
                }

                try
                {
                    _log?.WriteLine(line);
                }
                catch (ObjectDisposedException)
                {
                }
            }
        }
    }
}
