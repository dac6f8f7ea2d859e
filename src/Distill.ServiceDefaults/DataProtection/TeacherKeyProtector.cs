using Distill.Core.Teachers;
using Microsoft.AspNetCore.DataProtection;

namespace Distill.ServiceDefaults.DataProtection;

/// <summary>Encrypts teacher API keys for the database and decrypts them only where a call is made.</summary>
public sealed class TeacherKeyProtector(IDataProtectionProvider provider)
{
    // The purpose string isolates these ciphertexts: nothing else protected with the key ring can be decrypted as a key.
    private readonly IDataProtector _protector = provider.CreateProtector("Distill.Teachers.ApiKey.v1");

    public string Protect(string apiKey) => _protector.Protect(apiKey);

    /// <summary>The teacher's API key in clear, for the call about to be made; null when it has none.</summary>
    public string? ApiKeyOf(Teacher teacher) => teacher.ProtectedApiKey is { } key ? _protector.Unprotect(key) : null;
}
