namespace Distill.Trainer.Training;

/// <summary>Linear warmup to the peak, then cosine decay to the floor at the last step. A pure function of the step, so resuming needs no state.</summary>
public sealed record LearningRateSchedule(double Peak, double Floor, int WarmupSteps, int TotalSteps)
{
    public double At(long step)
    {
        if (step < WarmupSteps)
        {
            return Peak * (step + 1) / WarmupSteps;
        }

        if (step >= TotalSteps)
        {
            return Floor;
        }

        var progress = (double)(step - WarmupSteps) / Math.Max(1, TotalSteps - WarmupSteps);
        return Floor + 0.5 * (1 + Math.Cos(Math.PI * progress)) * (Peak - Floor);
    }
}
