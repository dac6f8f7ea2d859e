using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Distill.Trainer.Serving;

/// <summary>The models the OpenAI-compatible API serves, by name: those in <c>Serving:Models</c> and any registered since.</summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, RegisteredModel> _models = new(StringComparer.Ordinal);
    private readonly ILogger<RegisteredModel> _logger;
    private readonly TimeProvider _time;

    public ModelRegistry(IOptions<ServingOptions> options, ILogger<RegisteredModel> logger, TimeProvider time)
    {
        _logger = logger;
        _time = time;
        foreach (var (name, directory) in options.Value.Models)
        {
            Register(name, directory);
        }
    }

    public IReadOnlyList<RegisteredModel> Models => [.. _models.Values.OrderBy(m => m.Name, StringComparer.Ordinal)];

    /// <summary>Serves the checkpoint in <paramref name="directory"/> as <paramref name="name"/>; it is read on first use.</summary>
    /// <exception cref="ArgumentException">The name is empty or taken, or the directory is not there.</exception>
    public RegisteredModel Register(string name, string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new ArgumentException($"Model '{name}' cannot be served from {directory}: the directory does not exist.", nameof(directory));
        }

        var model = new RegisteredModel(name, Path.GetFullPath(directory), _time.GetUtcNow(), _logger);
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
