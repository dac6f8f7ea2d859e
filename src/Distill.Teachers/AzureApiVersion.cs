using System.ClientModel.Primitives;
using System.Text.RegularExpressions;
using Azure.AI.OpenAI;

namespace Distill.Teachers;

/// <summary>
/// The teacher's api-version string as the Azure SDK's enum when the SDK knows it; otherwise the SDK's default
/// plus a policy that puts the teacher's string on the wire, so a newer version works without an SDK update.
/// </summary>
internal static partial class AzureApiVersion
{
    public static AzureOpenAIClientOptions Options(string? apiVersion)
    {
        if (string.IsNullOrWhiteSpace(apiVersion))
        {
            return new AzureOpenAIClientOptions();
        }

        // "2025-04-01-preview" is ServiceVersion.V2025_04_01_Preview.
        var name = "V" + string.Join('_', apiVersion.Trim().Split('-', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
        if (Enum.TryParse<AzureOpenAIClientOptions.ServiceVersion>(name, ignoreCase: true, out var known) && Enum.IsDefined(known))
        {
            return new AzureOpenAIClientOptions(known);
        }

        var options = new AzureOpenAIClientOptions();
        options.AddPolicy(new OverridePolicy(apiVersion.Trim()), PipelinePosition.PerCall);
        return options;
    }

    [GeneratedRegex("(?<=[?&]api-version=)[^&]*")]
    private static partial Regex ApiVersionValue();

    private sealed class OverridePolicy(string apiVersion) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Rewrite(message);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            Rewrite(message);
            return ProcessNextAsync(message, pipeline, currentIndex);
        }

        private void Rewrite(PipelineMessage message)
        {
            if (message.Request.Uri is { } uri)
            {
                message.Request.Uri = new Uri(ApiVersionValue().Replace(uri.AbsoluteUri, Uri.EscapeDataString(apiVersion)));
            }
        }
    }
}
