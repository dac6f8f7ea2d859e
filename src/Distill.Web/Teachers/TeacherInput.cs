using Distill.Core.Teachers;

namespace Distill.Web.Teachers;

/// <summary>
/// What a user sends to create or change a teacher. <see cref="ApiKey"/> is write-only: null keeps the stored key,
/// an empty string removes it; no response ever carries it back.
/// </summary>
public sealed record TeacherInput(
    string Name,
    TeacherKind Kind,
    string Endpoint,
    string Model,
    string? ApiVersion,
    TeacherAuth Auth,
    string? ApiKey,
    decimal InputPricePerMillion,
    decimal OutputPricePerMillion,
    int? RequestsPerMinute,
    int? TokensPerMinute,
    int MaxConcurrency = 8,
    bool SupportsLogprobs = false,
    bool StoreCompletions = false)
{
    public const int MaxConcurrencyLimit = 1024;

    /// <summary>Field errors by JSON name; empty when the input can be saved.</summary>
    public Dictionary<string, string[]> Validate(bool hasStoredKey)
    {
        var errors = new Dictionary<string, string[]>();
        void Add(string field, string reason) => errors[field] = [reason];

        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 200)
        {
            Add("name", "A teacher needs a name of 1 to 200 characters.");
        }

        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("https" or "http"))
        {
            Add("endpoint", "The endpoint must be an absolute http(s) URL, such as https://my-resource.openai.azure.com/.");
        }
        else if (!string.IsNullOrEmpty(endpoint.UserInfo) || !string.IsNullOrEmpty(endpoint.Query))
        {
            Add("endpoint", "Put credentials in the API key field, not in the endpoint URL.");
        }

        if (string.IsNullOrWhiteSpace(Model))
        {
            Add("model", Kind == TeacherKind.AzureOpenAI ? "Azure teachers need the deployment name." : "Name the model the endpoint serves.");
        }

        if (Kind == TeacherKind.AzureOpenAI && string.IsNullOrWhiteSpace(ApiVersion))
        {
            Add("apiVersion", "Azure teachers need an API version, such as 2024-10-21.");
        }

        if (Auth == TeacherAuth.EntraId && Kind != TeacherKind.AzureOpenAI)
        {
            Add("auth", "Entra ID sign-in only works with Azure OpenAI teachers.");
        }

        var keyAfterSave = ApiKey is null ? hasStoredKey : ApiKey.Length > 0;
        if (Auth == TeacherAuth.ApiKey && !keyAfterSave)
        {
            Add("apiKey", "This teacher authenticates with an API key: enter one.");
        }

        if (InputPricePerMillion < 0 || OutputPricePerMillion < 0)
        {
            Add("prices", "Prices per 1M tokens cannot be negative.");
        }

        if (RequestsPerMinute is < 1 || TokensPerMinute is < 1)
        {
            Add("limits", "Rate limits must be at least 1 per minute, or empty for none.");
        }

        if (MaxConcurrency is < 1 or > MaxConcurrencyLimit)
        {
            Add("maxConcurrency", $"Concurrency must be between 1 and {MaxConcurrencyLimit}.");
        }

        return errors;
    }
}
