using Distill.ServiceDefaults.Configuration;
using Distill.Trainer.Runtime;

namespace Distill.Trainer.Extensions;

public static class TrainerEngineExtensions
{
    /// <summary>The TorchSharp engine; a machine where libtorch cannot load stops the Trainer with the reason.</summary>
    public static IHostApplicationBuilder AddTrainerEngine(this IHostApplicationBuilder builder)
    {
        if (TorchRuntime.Problem is { } problem)
        {
            ConfigurationProblems.Of(builder).Add(problem);
        }

        return builder;
    }
}
