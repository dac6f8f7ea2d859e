using Distill.Core.Jobs;
using Microsoft.Extensions.Options;

namespace Distill.Worker.Jobs;

/// <summary>Runs the <see cref="JobSweeper"/> on a timer for as long as the Worker lives.</summary>
internal sealed partial class JobSweeperService(IServiceScopeFactory scopes, IOptions<JobOptions> options, ILogger<JobSweeperService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        try
        {
            do
            {
                await SweepOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SweepOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<JobSweeper>().SweepAsync(options.Value, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSweepFailed(ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job sweep failed ({Reason}); trying again at the next tick")]
    private partial void LogSweepFailed(string reason);
}
