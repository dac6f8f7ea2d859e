namespace Distill.Testing.FakeTeacher;

/// <summary>How the fake teacher authenticates and names itself. TEST FIXTURE.</summary>
public sealed class FakeTeacherOptions
{
    /// <summary>The key callers must present (<c>api-key</c> on Azure paths, <c>Authorization: Bearer</c> on OpenAI paths); null accepts anyone.</summary>
    public string? ApiKey { get; init; } = "fake-teacher-key-0123456789abcdef";

    /// <summary>A bearer token also accepted on Azure paths, standing in for an Entra ID access token.</summary>
    public string? EntraToken { get; init; }

    /// <summary>The model name reported in answers (Azure answers report it whatever the deployment is called).</summary>
    public string Model { get; init; } = "fake-teacher-1";
}
