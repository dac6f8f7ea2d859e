using Azure.Storage.Blobs;
using Distill.Hosting;
using Distill.Trainer.Serving;
using Distill.Trainer.Tests.Checkpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Distill.Trainer.Tests.Serving;

/// <summary>Models kept in blob storage (a real Azurite process, started by our launcher library) are fetched once and served.</summary>
public sealed class BlobServingTests(ServingHost host) : IClassFixture<ServingHost>, IAsyncLifetime
{
    private readonly TemporaryDirectory _cache = new();
    private DistributedApplication? _storage;
    private BlobServiceClient _blobs = null!;

    public async Task InitializeAsync()
    {
        var builder = DistributedApplication.CreateBuilder(new AppHostOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "distill-blobserving-" + Guid.NewGuid().ToString("N")[..8]),
            ToolsDirectory = Path.Combine(AppHostOptions.RepositoryRoot(), ".tools"),
            Ephemeral = true,
            Log = TextWriter.Null,
        }, typeof(BlobServingTests).Assembly);
        var azurite = builder.AddAzurite("storage");
        _storage = builder.Build();
        await _storage.StartAsync();
        _blobs = new BlobServiceClient(azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_storage is not null)
        {
            await _storage.StopAsync();
        }

        _cache.Dispose();
    }

    [Fact]
    public async Task A_checkpoint_in_blob_storage_is_fetched_once_and_served()
    {
        var container = _blobs.GetBlobContainerClient("models");
        await container.CreateIfNotExistsAsync();
        foreach (var file in Directory.GetFiles(host.CheckpointDirectory))
        {
            await container.GetBlobClient($"tiny/1/{Path.GetFileName(file)}").UploadAsync(file, overwrite: true);
        }

        using (var registry = Registry())
        {
            var served = await registry.Register("from-blob", "blob:models/tiny/1").GetLoadedAsync(CancellationToken.None);
            var local = await host.Services.GetRequiredService<ModelRegistry>().Models.Single(m => m.Name == ServingHost.ModelName).GetLoadedAsync(CancellationToken.None);
            Assert.Equal(local.Model.Config with { EosTokenIds = [] }, served.Model.Config with { EosTokenIds = [] });
            Assert.Equal(local.Tokenizer.VocabSize, served.Tokenizer.VocabSize);
        }

        // Gone from storage, yet still served: the first fetch is kept in the cache.
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "tiny/1/", CancellationToken.None))
        {
            await container.DeleteBlobAsync(blob.Name);
        }

        using var again = Registry();
        Assert.NotNull(await again.Register("from-blob", "blob:models/tiny/1").GetLoadedAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_empty_blob_location_is_a_clear_load_error()
    {
        await _blobs.GetBlobContainerClient("models").CreateIfNotExistsAsync();
        using var registry = Registry();

        var error = await Assert.ThrowsAsync<ModelLoadException>(() => registry.Register("absent", "blob:models/absent/7").GetLoadedAsync(CancellationToken.None));

        Assert.Contains("blob:models/absent/7 holds no files", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_cache.Path));
    }

    [Fact]
    public void A_malformed_blob_location_is_refused_at_registration()
    {
        using var registry = Registry();
        var error = Assert.Throws<ArgumentException>(() => registry.Register("bad", "blob:models"));
        Assert.Contains("blob:{container}/{prefix}", error.Message);
    }

    private ModelRegistry Registry() =>
        new(Options.Create(new ServingOptions { CacheDirectory = _cache.Path }), NullLogger<RegisteredModel>.Instance, TimeProvider.System, _blobs);
}
