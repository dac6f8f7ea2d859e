using Distill.Core.Teachers;

namespace Distill.Web.Teachers;

/// <summary>A teacher as pages and the API show it: everything but the key, of which only its presence is told.</summary>
public sealed record TeacherView(
    Guid Id, string Name, TeacherKind Kind, string Endpoint, string Model, string? ApiVersion, TeacherAuth Auth, bool HasApiKey,
    decimal InputPricePerMillion, decimal OutputPricePerMillion, int? RequestsPerMinute, int? TokensPerMinute, int MaxConcurrency,
    bool SupportsLogprobs, bool StoreCompletions, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static TeacherView From(Teacher t) => new(
        t.Id, t.Name, t.Kind, t.Endpoint, t.Model, t.ApiVersion, t.Auth, t.ProtectedApiKey is not null,
        t.InputPricePerMillion, t.OutputPricePerMillion, t.RequestsPerMinute, t.TokensPerMinute, t.MaxConcurrency,
        t.SupportsLogprobs, t.StoreCompletions, t.CreatedAt, t.UpdatedAt);
}
