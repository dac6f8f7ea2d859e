using Distill.Hosting.Processes;
using Npgsql;

namespace Distill.Hosting.Resources;

/// <summary>A PostgreSQL server from Debian's packages, run directly (no pg_ctl) so its pid is ours to signal.</summary>
public sealed class PostgresServerResource(string name) : Resource(name), IResourceWithConnectionString
{
    private const string User = "postgres";
    private ChildProcess? _server;

    public int Port { get; } = FreePorts.Next();

    internal string Password { get; set; } = "";

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username={User};Password={Password}";

    public override IEnumerable<ChildProcess> Processes => _server is null ? [] : [_server];

    public override IEnumerable<Prerequisite> Prerequisites =>
        [new DebianPackage("postgresql-15", "PostgreSQL 15", () => FindBinaries() is not null)];

    internal override async Task StartAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var bin = FindBinaries() ?? throw new DistillHostException("PostgreSQL's binaries are missing from /usr/lib/postgresql/*/bin.");
        Password = context.Data.Secrets().PostgresPassword;
        var data = context.Data.PostgresData;
        var runAs = Environment.UserName == "root" ? User : null;
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            await InitializeAsync(context, bin, data, runAs, cancellationToken);
        }

        List<string> arguments = ["-D", data, "-p", Port.ToString(), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="];
        if (context.Options.FastUnsafeStorage)
        {
            arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        _server = Launch(context, runAs, Path.Combine(bin, "postgres"), arguments);
        await Waiting.UntilAsync("PostgreSQL", _server, TimeSpan.FromSeconds(60), CanQueryAsync, cancellationToken);
    }

    /// <summary>SIGINT is Postgres's "fast" shutdown: it does not wait for clients to disconnect.</summary>
    internal override Task StopAsync() => _server?.StopAsync(Signals.SIGINT, TimeSpan.FromSeconds(8)) ?? Task.CompletedTask;

    public PostgresDatabaseResource AddDatabase(string name, string databaseName) => new(name, databaseName, this);

    private async Task InitializeAsync(LaunchContext context, string bin, string data, string? runAs, CancellationToken cancellationToken)
    {
        context.Console.Say($"Creating a PostgreSQL cluster in {data}");
        var parent = Path.GetDirectoryName(data)!;
        Directory.CreateDirectory(parent);
        var passwordFile = Path.Combine(parent, "initdb-password");
        await File.WriteAllTextAsync(passwordFile, Password, cancellationToken);
        try
        {
            if (runAs is not null)
            {
                await Launch(context, null, "chown", ["-R", $"{runAs}:{runAs}", parent]).Exited;
            }

            var initdb = Launch(context, runAs, Path.Combine(bin, "initdb"),
                ["-D", data, "-U", User, "--pwfile", passwordFile, "--auth", "scram-sha-256", "-E", "UTF8", "--locale", "C.UTF-8"]);
            var exitCode = await initdb.Exited;
            if (exitCode != 0)
            {
                throw new DistillHostException($"initdb {Signals.DescribeExit(exitCode)}: {initdb.LastLines.LastOrDefault()}");
            }
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private ChildProcess Launch(LaunchContext context, string? runAs, string program, IReadOnlyList<string> arguments) =>
        runAs is null
            ? context.Start(Name, program, arguments, context.ChildEnvironment())
            : context.Start(Name, "/usr/bin/setpriv", ["--reuid", runAs, "--regid", runAs, "--init-groups", "--", program, .. arguments], context.ChildEnvironment());

    private async Task<bool> CanQueryAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString + ";Database=postgres;Timeout=3;Pooling=false");
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            return false;
        }
    }

    private static string? FindBinaries() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "postgres")) && File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var major) ? major : 0)
                .FirstOrDefault()
            : null;
}

/// <summary>A database on a <see cref="PostgresServerResource"/>, created when missing.</summary>
public sealed class PostgresDatabaseResource : Resource, IResourceWithConnectionString
{
    internal PostgresDatabaseResource(string name, string databaseName, PostgresServerResource server) : base(name)
    {
        DatabaseName = databaseName;
        Server = server;
        Dependencies.Add(server);
    }

    public string DatabaseName { get; }

    public PostgresServerResource Server { get; }

    public string ConnectionString => $"{Server.ConnectionString};Database={DatabaseName}";

    internal override async Task StartAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(Server.ConnectionString + ";Database=postgres;Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = DatabaseName } } };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
