using System.Diagnostics;
using Distill.Trainer.Runtime;
using TorchSharp;

namespace Distill.Trainer.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Libtorch_loads_and_computes()
    {
        Assert.Null(TorchRuntime.Problem);
        using var a = torch.tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var product = a.matmul(a);
        Assert.Equal(new float[] { 7, 10, 15, 22 }, product.data<float>().ToArray());
    }

    [Fact]
    public void The_build_marks_the_too_new_libstdcxx_requirement_weak()
    {
        var library = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");
        var readelf = Process.Start(new ProcessStartInfo("readelf", ["-V", library]) { RedirectStandardOutput = true })!;
        var versions = readelf.StandardOutput.ReadToEnd();
        readelf.WaitForExit();

        var requirement = versions.Split('\n').Single(l => l.Contains("Name: GLIBCXX_3.4.32"));
        Assert.Contains("Flags: WEAK", requirement);
    }
}
