using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Distill.Trainer.Serving;

/// <summary>A model name bound to a checkpoint, loaded on first use and then kept.</summary>
public sealed partial class RegisteredModel : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly ILogger _logger;
    private ServedModel? _loaded;

    internal RegisteredModel(string name, CheckpointSource source, DateTimeOffset registeredAt, ILogger logger)
    {
        Name = name;
        Source = source;
        RegisteredAt = registeredAt;
        _logger = logger;
    }

    public string Name { get; }

    public CheckpointSource Source { get; }

    public DateTimeOffset RegisteredAt { get; }

    public bool IsLoaded => _loaded is not null;

    /// <summary>
    /// The loaded model. A failed load is not remembered, so a checkpoint written or fixed after registration loads on
    /// the next request.
    /// </summary>
    /// <exception cref="ModelLoadException">The directory is not a usable checkpoint.</exception>
    public async Task<ServedModel> GetLoadedAsync(CancellationToken cancellationToken)
    {
        if (_loaded is { } loaded)
        {
            return loaded;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_loaded is null)
            {
                LogLoading(Name, Source.Description);
                var clock = Stopwatch.StartNew();
                try
                {
                    // Reading weights blocks for seconds on a real checkpoint: keep it off the request threads.
                    var directory = await LocalDirectoryAsync(cancellationToken);
                    _loaded = await Task.Factory.StartNew(() => ServedModel.Load(Name, directory), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                }
                catch (ModelLoadException ex)
                {
                    LogLoadFailed(Name, ex.Message);
                    throw;
                }

                LogLoaded(Name, clock.ElapsedMilliseconds);
            }

            return _loaded;
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<string> LocalDirectoryAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Source.LocalDirectoryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw new ModelLoadException($"Model '{Name}' could not be fetched: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        _loaded?.Dispose();
        _loading.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loading model {Model} from {Source}")]
    private partial void LogLoading(string model, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model} loaded in {ElapsedMs} ms")]
    private partial void LogLoaded(string model, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {Model} could not be loaded: {Reason}")]
    private partial void LogLoadFailed(string model, string reason);
}
