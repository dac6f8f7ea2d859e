using System.ClientModel.Primitives;
using System.Globalization;

namespace Distill.Teachers;

/// <summary>How long a service asked us to wait: <c>retry-after-ms</c> (Azure OpenAI, precise) before <c>Retry-After</c> (seconds or an HTTP date).</summary>
internal static class RetryAfterHeaders
{
    public static TimeSpan? Read(PipelineResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.TryGetValue("retry-after-ms", out var milliseconds)
            && double.TryParse(milliseconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        return headers.TryGetValue("Retry-After", out var value) ? Parse(value, now) : null;
    }

    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        }

        // An HTTP date (RFC 1123); a date already past means "now".
        return DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date > now ? date - now : TimeSpan.Zero
            : null;
    }
}
