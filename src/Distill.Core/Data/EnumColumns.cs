using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Distill.Core.Data;

internal static class EnumColumns
{
    /// <summary>Stores an enum as its lower-case name, so the SQL a person types against a table reads like the architecture.</summary>
    public static PropertyBuilder<TEnum> AsLowerCaseName<TEnum>(this PropertyBuilder<TEnum> property, int maxLength = 32)
        where TEnum : struct, Enum =>
        property.HasMaxLength(maxLength).HasConversion(v => v.ToString().ToLowerInvariant(), v => Enum.Parse<TEnum>(v, true));
}
