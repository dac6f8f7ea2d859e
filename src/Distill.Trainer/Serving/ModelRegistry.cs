using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Distill.Trainer.Serving;

/// <summary>The models the OpenAI-compatible API serves, by name: those in <c>Serving:Models</c> and any registered since.</summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, RegisteredModel> _models = new(StringComparer.Ordinal);
    private readonly ILogger<RegisteredModel> _logger;
    private readonly TimeProvider _time;
    private readonly BlobServiceClient? _blobs;
    private readonly string _cacheRoot;

    public ModelRegistry(IOptions<ServingOptions> options, ILogger<RegisteredModel> logger, TimeProvider time, BlobServiceClient? blobs = null)
    {
        _logger = logger;
        _time = time;
        _blobs = blobs;
        _cacheRoot = options.Value.CacheDirectory;
        foreach (var (name, source) in options.Value.Models)
        {
            Register(name, source);
        }
    }

    public IReadOnlyList<RegisteredModel> Models => [.. _models.Values.OrderBy(m => m.Name, StringComparer.Ordinal)];

    /// <summary>
    /// Serves the checkpoint at <paramref name="source"/> (a directory, or <c>blob:{container}/{prefix}</c>) as
    /// <paramref name="name"/>; it is read on first use.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or taken, or the source is unusable.</exception>
    public RegisteredModel Register(string name, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var checkpoint = CheckpointSource.Parse(name, source, _blobs, _cacheRoot);
        var model = new RegisteredModel(name, checkpoint, _time.GetUtcNow(), _logger);
        if (!_models.TryAdd(name, model))
        {
            model.Dispose();
            throw new ArgumentException($"A model named '{name}' is already registered.", nameof(name));
        }

        return model;
    }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RegisteredModel? model) => _models.TryGetValue(name, out model);

    public void Dispose()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }
    }
}
