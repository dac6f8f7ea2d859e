using System.Diagnostics;
using Distill.Hosting.Processes;

namespace Distill.Hosting;

/// <summary>Something a resource needs installed: a Debian package or an npm package in the project's tools folder.</summary>
public abstract record Prerequisite(string Description)
{
    public abstract bool IsInstalled { get; }
}

public sealed record DebianPackage(string Package, string Description, Func<bool> Probe) : Prerequisite(Description)
{
    public override bool IsInstalled => Probe();
}

public sealed record NpmPackage(string Package, string Version, string Folder, string Executable, string Description) : Prerequisite(Description)
{
    public string ExecutablePath => Path.Combine(Folder, "node_modules", ".bin", Executable);

    public override bool IsInstalled => File.Exists(ExecutablePath);
}

/// <summary>Installs what is missing, saying what it does, before anything starts.</summary>
internal static class Installer
{
    public static async Task EnsureAsync(IEnumerable<Prerequisite> prerequisites, AppHostConsole console, CancellationToken cancellationToken)
    {
        var missing = prerequisites.Distinct().Where(p => !p.IsInstalled).ToList();
        var debian = missing.OfType<DebianPackage>().ToList();
        if (debian.Count > 0)
        {
            await InstallDebianAsync(debian, console, cancellationToken);
        }

        foreach (var npm in missing.OfType<NpmPackage>())
        {
            console.Say($"Installing {npm.Description} ({npm.Package}@{npm.Version}) from npm into {npm.Folder}");
            Directory.CreateDirectory(npm.Folder);
            var manifest = Path.Combine(npm.Folder, "package.json");
            if (!File.Exists(manifest))
            {
                await File.WriteAllTextAsync(manifest, "{\"private\":true}\n", cancellationToken);
            }

            await RunAsync(console, "npm", ["install", "--no-audit", "--no-fund", "--no-save", $"{npm.Package}@{npm.Version}"], npm.Folder, cancellationToken);
            if (!npm.IsInstalled)
            {
                throw new DistillHostException($"npm finished but {npm.ExecutablePath} is missing; try `npm install {npm.Package}@{npm.Version}` in {npm.Folder}.");
            }
        }
    }

    private static async Task InstallDebianAsync(IReadOnlyList<DebianPackage> packages, AppHostConsole console, CancellationToken cancellationToken)
    {
        var names = string.Join(' ', packages.Select(p => p.Package));
        var asRoot = Environment.UserName == "root";
        if (!asRoot && !await SucceedsAsync("sudo", ["-n", "true"]))
        {
            throw new DistillHostException(
                $"{string.Join(" and ", packages.Select(p => p.Description))} {(packages.Count == 1 ? "is" : "are")} not installed and this user cannot install packages: " +
                $"run `sudo apt-get install -y --no-install-recommends {names}` once, then start again.");
        }

        console.Say($"Installing {string.Join(" and ", packages.Select(p => p.Description))} from Debian's packages: apt-get install {names}");
        // Debian's maintainer scripts would start system-wide servers on the default ports; policy-rc.d forbids that
        // for the duration of the install.
        var script = $"""
            set -e
            own=0
            if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; own=1; fi
            trap '[ $own = 1 ] && rm -f /usr/sbin/policy-rc.d' EXIT
            apt-get update -q
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 {names}
            """;
        await RunAsync(console, asRoot ? "sh" : "sudo", asRoot ? ["-c", script] : ["-n", "sh", "-c", script], null, cancellationToken);

        var stillMissing = packages.Where(p => !p.IsInstalled).ToList();
        if (stillMissing.Count > 0)
        {
            throw new DistillHostException($"apt-get finished but {string.Join(", ", stillMissing.Select(p => p.Package))} still cannot be found; see the install output above.");
        }
    }

    private static async Task RunAsync(AppHostConsole console, string fileName, IReadOnlyList<string> arguments, string? workingDirectory, CancellationToken cancellationToken)
    {
        var process = ChildProcess.Start(new ChildProcessSpec("install", fileName, arguments, workingDirectory, new Dictionary<string, string?>()), console, null);
        using var registration = cancellationToken.Register(process.Kill);
        var exitCode = await process.Exited;
        cancellationToken.ThrowIfCancellationRequested();
        if (exitCode != 0)
        {
            throw new DistillHostException($"`{fileName} {string.Join(' ', arguments)}` {Signals.DescribeExit(exitCode)}; see its output above.");
        }
    }

    private static async Task<bool> SucceedsAsync(string fileName, string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null)
            {
                return false;
            }

            await process.WaitForExitAsync();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
