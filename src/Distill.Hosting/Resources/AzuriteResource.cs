using Distill.Hosting.Processes;

namespace Distill.Hosting.Resources;

/// <summary>Azurite's blob service, installed from npm into the project's tools folder.</summary>
public sealed class AzuriteResource(string name, string toolsDirectory) : Resource(name)
{
    // The emulator's published development account; it protects nothing and is the same for everyone.
    private const string Account = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private ChildProcess? _process;

    public int Port { get; } = FreePorts.Next();

    internal NpmPackage Package { get; } = new("azurite", "3.37.0", Path.Combine(toolsDirectory, "azurite"), "azurite-blob", "Azurite (blob storage emulator)");

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/{Account};";

    public override IEnumerable<ChildProcess> Processes => _process is null ? [] : [_process];

    public override IEnumerable<Prerequisite> Prerequisites => [Package];

    public AzuriteBlobsResource AddBlobs(string name) => new(name, this);

    internal override async Task StartAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(context.Data.Azurite);
        // --skipApiVersionCheck: the Azure SDK speaks a newer REST version than the emulator announces.
        _process = context.Start(Name, Package.ExecutablePath,
            ["--blobHost", "127.0.0.1", "--blobPort", Port.ToString(), "--location", context.Data.Azurite,
             "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl", "--silent"],
            context.ChildEnvironment());
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Waiting.UntilAsync("Azurite", _process, TimeSpan.FromSeconds(60), async ct =>
        {
            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{Port}/{Account}?comp=list", ct);
                return true;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                return false;
            }
        }, cancellationToken);
    }

    /// <summary>Azurite says it closed after SIGTERM but can linger for minutes; it holds no state worth waiting for.</summary>
    internal override Task StopAsync() => _process?.StopAsync(Signals.SIGTERM, TimeSpan.FromSeconds(2)) ?? Task.CompletedTask;
}

public sealed class AzuriteBlobsResource : Resource, IResourceWithConnectionString
{
    internal AzuriteBlobsResource(string name, AzuriteResource emulator) : base(name)
    {
        Emulator = emulator;
        Dependencies.Add(emulator);
    }

    public AzuriteResource Emulator { get; }

    public string ConnectionString => Emulator.ConnectionString;

    internal override Task StartAsync(LaunchContext context, CancellationToken cancellationToken) => Task.CompletedTask;
}
