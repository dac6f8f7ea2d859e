using System.Text.Json;
using System.Text.Json.Nodes;

namespace Distill.Trainer.Tests.Tokenization;

/// <summary>A throwaway checkpoint directory that tests fill with tokenizer files.</summary>
internal sealed class TempCheckpoint : IDisposable
{
    public TempCheckpoint()
    {
        Directory = Path.Combine(Path.GetTempPath(), "distill-tok-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public void WriteJson(string fileName, JsonNode json) =>
        File.WriteAllText(Path.Combine(Directory, fileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));

    public void WriteBytes(string fileName, byte[] bytes) => File.WriteAllBytes(Path.Combine(Directory, fileName), bytes);

    public void WriteText(string fileName, string text) => File.WriteAllText(Path.Combine(Directory, fileName), text);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
