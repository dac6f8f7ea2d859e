using System.Runtime.InteropServices;
using TorchSharp;

namespace Distill.Trainer.Runtime;

/// <summary>
/// Loads libtorch once and says plainly why when it cannot: TorchSharp's own message blames a missing package
/// reference, which is rarely the cause.
/// </summary>
public static class TorchRuntime
{
    private static readonly Lazy<string?> LoadProblem = new(TryLoad);

    /// <summary>The device training and inference use: the first GPU when the CUDA build found one.</summary>
    public static torch.Device Device => torch.cuda.is_available() ? torch.CUDA : torch.CPU;

    /// <summary>Null when libtorch works; otherwise one sentence on why it does not.</summary>
    public static string? Problem => LoadProblem.Value;

    public static void EnsureLoaded()
    {
        if (Problem is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
    }

    private static string? TryLoad()
    {
        try
        {
            using var probe = torch.ones(2, 2).matmul(torch.ones(2, 2));
            return null;
        }
        catch (Exception ex) when (ex is NotSupportedException or TypeInitializationException or DllNotFoundException)
        {
            var bridge = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
            var loader = LoaderError(bridge);
            if (loader is not null && loader.Contains("GLIBCXX_", StringComparison.Ordinal))
            {
                return $"libtorch could not be loaded because {bridge} asks for a newer libstdc++ than this system has ({loader}); " +
                    "the build marks that requirement weak (Directory.Build.targets): rebuild, and check that the file is the patched copy.";
            }

            return loader is not null
                ? $"libtorch could not be loaded: {loader}."
                : $"libtorch could not be loaded ({ex.Message.Split('\n')[0]}); {bridge} loads by itself, so a dependency of libtorch is missing.";
        }
    }

    private static string? LoaderError(string library)
    {
        if (!File.Exists(library))
        {
            return $"{library} is missing: the TorchSharp backend package (libtorch-cpu-linux-x64 or TorchSharp-cuda-linux) was not restored for linux-x64";
        }

        try
        {
            NativeLibrary.Free(NativeLibrary.Load(library));
            return null;
        }
        catch (DllNotFoundException ex)
        {
            return ex.Message.Trim().TrimEnd('.');
        }
    }
}
