using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Distill.Trainer.Serving;

/// <summary>
/// Where a served model's checkpoint lives: a local directory, or <c>blob:{container}/{prefix}</c> in the blob storage
/// the Trainer is connected to (the registry keeps models under <c>models/{name}/{version}/</c>), copied once into a
/// local cache because weights are memory-read from files.
/// </summary>
public abstract class CheckpointSource
{
    public const string BlobScheme = "blob:";

    /// <summary>How the source was given, for messages and logs.</summary>
    public abstract string Description { get; }

    /// <summary>A local directory holding the whole checkpoint.</summary>
    public abstract Task<string> LocalDirectoryAsync(CancellationToken cancellationToken);

    /// <exception cref="ArgumentException">The value names neither an existing directory nor a usable blob location.</exception>
    public static CheckpointSource Parse(string name, string value, BlobServiceClient? blobs, string cacheRoot)
    {
        if (!value.StartsWith(BlobScheme, StringComparison.Ordinal))
        {
            return Directory.Exists(value)
                ? new LocalCheckpoint(Path.GetFullPath(value))
                : throw new ArgumentException($"Model '{name}' cannot be served from {value}: the directory does not exist.", nameof(value));
        }

        var location = value[BlobScheme.Length..].Trim('/');
        var slash = location.IndexOf('/');
        if (slash <= 0 || slash == location.Length - 1)
        {
            throw new ArgumentException($"Model '{name}' is served from '{value}', which is not blob:{{container}}/{{prefix}}, e.g. blob:models/{name}/1.", nameof(value));
        }

        return blobs is null
            ? throw new ArgumentException($"Model '{name}' is served from blob storage, but this process has no ConnectionStrings:blobs.", nameof(value))
            : new BlobCheckpoint(blobs.GetBlobContainerClient(location[..slash]), location[(slash + 1)..] + "/", cacheRoot);
    }

    private sealed class LocalCheckpoint(string directory) : CheckpointSource
    {
        public override string Description => directory;

        public override Task<string> LocalDirectoryAsync(CancellationToken cancellationToken) => Task.FromResult(directory);
    }

    private sealed class BlobCheckpoint(BlobContainerClient container, string prefix, string cacheRoot) : CheckpointSource
    {
        // A hash, not the blob path: cache folder names must not be steerable by what the configuration says.
        private readonly string _cache = Path.Combine(cacheRoot, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{container.Uri}|{prefix}")))[..24]);

        public override string Description => $"{BlobScheme}{container.Name}/{prefix.TrimEnd('/')}";

        public override async Task<string> LocalDirectoryAsync(CancellationToken cancellationToken)
        {
            if (Directory.Exists(_cache))
            {
                return _cache;
            }

            // Download beside the cache and rename: a copy interrupted half-way is never mistaken for a checkpoint.
            var partial = $"{_cache}.partial-{Guid.NewGuid():N}";
            try
            {
                var files = 0;
                await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
                {
                    var relative = blob.Name[prefix.Length..];
                    if (relative.Split('/').Any(part => part is "" or "." or ".."))
                    {
                        throw new InvalidDataException($"{Description} holds a blob named '{blob.Name}', which cannot be a checkpoint file.");
                    }

                    var target = Path.Combine(partial, relative);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    await container.GetBlobClient(blob.Name).DownloadToAsync(target, cancellationToken);
                    files++;
                }

                if (files == 0)
                {
                    throw new InvalidDataException($"{Description} holds no files.");
                }

                Directory.CreateDirectory(cacheRoot);
                try
                {
                    Directory.Move(partial, _cache);
                }
                catch (IOException) when (Directory.Exists(_cache))
                {
                    // Another request finished the same download first.
                }

                return _cache;
            }
            catch (RequestFailedException ex)
            {
                throw new InvalidDataException($"{Description} could not be read from blob storage: {ex.Message.Split('\n')[0]}", ex);
            }
            finally
            {
                if (Directory.Exists(partial))
                {
                    Directory.Delete(partial, recursive: true);
                }
            }
        }
    }
}
