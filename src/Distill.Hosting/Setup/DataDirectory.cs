using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Distill.Hosting;

/// <summary>
/// Where a developer's Distill keeps its state between runs: databases, broker, blobs, logs and generated secrets.
/// </summary>
public sealed class DataDirectory
{
    public DataDirectory(string root)
    {
        Root = Path.GetFullPath(root);
        // Postgres refuses to run as root, so as root it runs as 'postgres', which cannot enter a home like /root:
        // its cluster then lives in a folder of its own, named after this data directory.
        PostgresData = Environment.UserName == "root"
            ? Path.Combine("/var/lib/distill", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Root)))[..16], "postgres")
            : Path.Combine(Root, "postgres");
    }

    public string Root { get; }

    public string PostgresData { get; }

    public string RabbitMQ => Path.Combine(Root, "rabbitmq");

    public string Azurite => Path.Combine(Root, "azurite");

    public string Logs => Path.Combine(Root, "logs");

    public string LogFile(string resource) => Path.Combine(Logs, resource + ".log");

    /// <summary>Passwords generated on first run and kept (owner-only) so data made with them stays reachable.</summary>
    public Secrets Secrets()
    {
        var file = Path.Combine(Root, "secrets.json");
        if (File.Exists(file))
        {
            return JsonSerializer.Deserialize<Secrets>(File.ReadAllText(file))
                ?? throw new DistillHostException($"{file} is empty; delete it together with the data (--reset).");
        }

        var secrets = new Secrets(NewPassword(), NewPassword());
        Directory.CreateDirectory(Root);
        File.WriteAllText(file, JsonSerializer.Serialize(secrets));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return secrets;
    }

    public void Delete()
    {
        foreach (var directory in new[] { Root, Path.GetDirectoryName(PostgresData)! })
        {
            if (Directory.Exists(directory) && directory != "/var/lib/distill")
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

public sealed record Secrets(string PostgresPassword, string RabbitMQPassword);
