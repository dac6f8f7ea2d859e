namespace Distill.Hosting;

public sealed class AppHostOptions
{
    /// <summary>Persistent state; defaults to <c>.distill</c> in the repository.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Where npm-installed tools (Azurite) go; defaults to <c>.tools</c> in the repository.</summary>
    public required string ToolsDirectory { get; init; }

    /// <summary>Wipe the data directory before starting.</summary>
    public bool Reset { get; init; }

    /// <summary>Delete the data directory after stopping, for tests.</summary>
    public bool Ephemeral { get; init; }

    /// <summary>A fixed port for the dashboard; a free one when null.</summary>
    public int? DashboardPort { get; init; }

    /// <summary>Trade durability for speed (no fsync), for tests and CI.</summary>
    public bool FastUnsafeStorage { get; init; }

    /// <summary>Only install what is missing, then exit: for CI images and test scripts.</summary>
    public bool InstallOnly { get; init; }

    /// <summary>Where the prefixed logs go instead of the console, as tests want.</summary>
    public TextWriter? Log { get; init; }

    public static AppHostOptions Parse(string[] args)
    {
        var repository = RepositoryRoot();
        string? dataDirectory = Environment.GetEnvironmentVariable("DISTILL_DATA_DIR");
        int? port = int.TryParse(Environment.GetEnvironmentVariable("DISTILL_DASHBOARD_PORT"), out var p) ? p : null;
        var reset = false;
        var installOnly = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--reset":
                    reset = true;
                    break;
                case "--install-only":
                    installOnly = true;
                    break;
                case "--data-dir" when i + 1 < args.Length:
                    dataDirectory = args[++i];
                    break;
                case "--dashboard-port" when i + 1 < args.Length:
                    port = int.TryParse(args[++i], out var value) && value is > 0 and < 65536
                        ? value
                        : throw new DistillHostException($"--dashboard-port expects a port number between 1 and 65535, not '{args[i]}'.");
                    break;
                default:
                    throw new DistillHostException($"Unknown option '{args[i]}'. Options: --reset, --data-dir DIR, --dashboard-port PORT, --install-only.");
            }
        }

        return new AppHostOptions
        {
            DataDirectory = dataDirectory ?? Path.Combine(repository, ".distill"),
            ToolsDirectory = Path.Combine(repository, ".tools"),
            Reset = reset,
            InstallOnly = installOnly,
            DashboardPort = port,
        };
    }

    /// <summary>The folder holding Distill.sln, found upwards from the running program.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Distill.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
