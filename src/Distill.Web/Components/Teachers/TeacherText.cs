using System.Globalization;
using Distill.Core.Teachers;

namespace Distill.Web.Components.Teachers;

/// <summary>How teachers' enums and prices read on pages.</summary>
public static class TeacherText
{
    public static string Kind(TeacherKind kind) => kind switch
    {
        TeacherKind.AzureOpenAI => "Azure OpenAI",
        TeacherKind.OpenAICompatible => "OpenAI-compatible",
        TeacherKind.Local => "Local (Trainer)",
        _ => kind.ToString(),
    };

    public static string Price(decimal perMillion) => "$" + perMillion.ToString("0.00####", CultureInfo.InvariantCulture);

    public static string Limit(int? perMinute) => perMinute?.ToString("N0", CultureInfo.InvariantCulture) ?? "∞";
}
