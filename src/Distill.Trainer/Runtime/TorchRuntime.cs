using System.Runtime.InteropServices;
using TorchSharp;

namespace Distill.Trainer.Runtime;

/// <summary>
/// Loads libtorch once and says plainly why when it cannot: TorchSharp's own message blames a missing package
/// reference, which is rarely the cause.
/// </summary>
public static partial class TorchRuntime
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
        // libtorch's CPU allocator reads THP_MEM_ALLOC_ENABLE once, before its first tensor: large tensors then sit on
        // transparent huge pages. On a VM where each new 4 KiB page costs microseconds to fault in, a training step
        // faulted ~80k pages and MFU measured 0.42 without it. Set natively: .NET's Environment does not reach libc's.
        SetNativeEnvironment("THP_MEM_ALLOC_ENABLE", "1", overwrite: 0);
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

    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi)]
    private static extern int SetNativeEnvironment(string name, string value, int overwrite);

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
