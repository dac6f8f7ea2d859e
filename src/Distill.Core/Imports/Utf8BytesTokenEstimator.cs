using System.Text;
using Distill.Core.Datasets;

namespace Distill.Core.Imports;

/// <summary>
/// UTF-8 bytes of the text a model reads (contents, names, tool calls) divided by four, rounded up: BPE vocabularies
/// average about four bytes per token on English text and fewer on other scripts, so this errs low for CJK and code.
/// Template tokens around each message are not counted.
/// </summary>
public sealed class Utf8BytesTokenEstimator : ITokenEstimator
{
    public static Utf8BytesTokenEstimator Instance { get; } = new();

    public int EstimateTokens(ExampleRecord example)
    {
        long bytes = 0;
        foreach (var message in example.Messages)
        {
            bytes += Utf8Length(message.Content) + Utf8Length(message.Name);
            if (message.ToolCalls is { } calls)
            {
                foreach (var call in calls)
                {
                    bytes += Utf8Length(call.Name) + Utf8Length(call.Arguments);
                }
            }
        }

        return (int)Math.Min(int.MaxValue, (bytes + 3) / 4);
    }

    private static int Utf8Length(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);
}
